package io.github.sqlitebackup.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.springframework.util.FileSystemUtils;

import io.github.sqlitebackup.BackupVerificationException;
import io.github.sqlitebackup.Verification;
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.engine.OfflineRestore;
import io.github.sqlitebackup.offsite.BackupNotReadableException;
import io.github.sqlitebackup.recovery.BackupCopy;
import io.github.sqlitebackup.recovery.Recovery;

/**
 * {@code verify}: restores every backup into a scratch directory the way a real restore
 * would (stored checksum, decryption, decompression, plain checksum, page count, SQLite
 * check) and reports each; any failure makes the exit code {@value ExitCode#FAILED}.
 */
@Command(name = "verify",
		description = "Restores every backup into a scratch directory, checking its checksums, decryption and "
				+ "integrity_check; reports each and exits 1 if any fails.",
		footer = ExitCode.HELP)
final class VerifyCommand implements Callable<Integer> {

	@Mixin
	LocationOptions where;

	@Mixin
	OutputOptions output;

	@Option(names = "--database", paramLabel = "ID", description = "Only this database's backups.")
	@Nullable String database;

	@Option(names = "--check", paramLabel = "LEVEL", defaultValue = "full",
			description = "SQLite check of each backup: full (integrity_check, default), quick (quick_check) "
					+ "or none (checksums only).")
	Verification check;

	@Option(names = "--temp-dir", paramLabel = "DIR",
			description = "Where each backup is restored to be checked, then deleted (default: java.io.tmpdir); "
					+ "needs room for the largest backup.")
	@Nullable Path tempDirectory;

	@Override
	public Integer call() throws IOException {
		if (!Files.isDirectory(scratchParent())) {
			throw new CliException(ExitCode.USAGE, "--temp-dir " + scratchParent() + " is not a directory"
					+ (Files.exists(scratchParent()) ? "" : " (it does not exist)"));
		}
		try (OpenedLocation opened = this.where.open()) {
			Map<String, String> unusable = opened.unusable(this.database);
			List<BackupManifest> backups = unusable.isEmpty() ? opened.someBackups(this.database)
					: opened.backups(this.database);
			Recovery recovery = new Recovery(List.of(opened.location()));
			ProgressBar progress = this.output.progressBar();
			List<Map<String, Object>> reports = new ArrayList<>();
			int failed = 0;
			for (BackupManifest backup : backups) {
				Map<String, Object> report = verify(recovery, new BackupCopy(backup, opened.location()), progress);
				progress.end();
				failed += "failed".equals(report.get("status")) ? 1 : 0;
				reports.add(report);
				if (!this.output.json) {
					System.out.println(line(report));
				}
			}
			for (Map.Entry<String, String> file : unusable.entrySet()) {
				Map<String, Object> report = new LinkedHashMap<>();
				report.put("name", file.getKey());
				report.put("status", "failed");
				report.put("reason", "not a usable backup: " + file.getValue());
				failed++;
				reports.add(report);
				if (!this.output.json) {
					System.out.println(line(report));
				}
			}
			int total = backups.size() + unusable.size();
			if (this.output.json) {
				Map<String, Object> result = new LinkedHashMap<>();
				result.put("location", opened.description());
				result.put("check", this.check.label());
				result.put("verified", total - failed);
				result.put("failed", failed);
				result.put("backups", reports);
				this.output.printJson(result);
			}
			else {
				System.out.println(total + " backups in " + opened.description() + ": " + (total - failed) + " verified, "
						+ failed + " failed");
			}
			return (failed > 0) ? ExitCode.FAILED : ExitCode.OK;
		}
	}

	private Map<String, Object> verify(Recovery recovery, BackupCopy copy, ProgressBar progress) throws IOException {
		Map<String, Object> report = new LinkedHashMap<>();
		report.put("name", copy.backup().name());
		report.put("database", copy.backup().databaseId());
		Path scratch = Files.createTempDirectory(scratchParent(), "sqlite-backup-verify-");
		try {
			OfflineRestore.Result result = recovery.restore(copy, scratch.resolve("restored.db"), this.check,
					OfflineRestore.Mode.IF_MISSING, progress);
			report.put("status", "ok");
			report.put("bytes", result.bytes());
			report.put("copyMillis", result.copy().toMillis());
			report.put("checkMillis", result.check().toMillis());
		}
		catch (IOException | BackupVerificationException | BackupNotReadableException ex) {
			report.put("status", "failed");
			report.put("reason", ex.getMessage());
		}
		finally {
			FileSystemUtils.deleteRecursively(scratch);
		}
		return report;
	}

	private Path scratchParent() {
		return (this.tempDirectory != null) ? this.tempDirectory : Path.of(System.getProperty("java.io.tmpdir"));
	}

	private String line(Map<String, Object> report) {
		if ("ok".equals(report.get("status"))) {
			String pragma = this.check.pragma();
			return "OK      " + report.get("name") + "  " + OutputOptions.size((Long) report.get("bytes"))
					+ ((pragma != null) ? ", " + pragma + " ok in " + report.get("checkMillis") + " ms" : "");
		}
		return "FAILED  " + report.get("name") + "  " + report.get("reason");
	}

}

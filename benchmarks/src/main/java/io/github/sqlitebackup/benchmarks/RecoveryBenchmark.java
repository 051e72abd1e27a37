package io.github.sqlitebackup.benchmarks;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.util.FileSystemUtils;

import io.github.sqlitebackup.BackupOptions;
import io.github.sqlitebackup.BackupResult;
import io.github.sqlitebackup.Verification;
import io.github.sqlitebackup.catalog.BackupCatalog;
import io.github.sqlitebackup.catalog.BackupCatalog.CommitOrder;
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.catalog.DatabaseIdentity;
import io.github.sqlitebackup.catalog.Sha256;
import io.github.sqlitebackup.engine.OfflineRestore;
import io.github.sqlitebackup.offsite.BackupDecoder;
import io.github.sqlitebackup.offsite.Compression;
import io.github.sqlitebackup.offsite.StoredForm;
import io.github.sqlitebackup.recovery.BackupLocation;
import io.github.sqlitebackup.recovery.RecoveredBackup;
import io.github.sqlitebackup.recovery.Recovery;
import io.github.sqlitebackup.storage.BackupStorage;
import io.github.sqlitebackup.storage.LocalDirectoryStorage;

/**
 * Recovery time (RTO) on a new machine: the newest backup restored into a missing database
 * file by {@link Recovery} (what {@code sqlite.backup.restore.on-startup=if-missing} and the
 * command-line tool run), from a local directory and from S3Proxy on loopback (stored plain,
 * and zstd-compressed and age-encrypted), next to {@code cp} + {@code fsync} of the same file.
 * The target of issue 15: within 1.5x of {@code cp} plus the integrity check.
 */
final class RecoveryBenchmark {

	/** The identity of {@link OffsiteBenchmark#AGE_RECIPIENT}: a benchmark key, not a secret. */
	private static final String AGE_IDENTITY = "AGE-SECRET-KEY-1WSMGN5SRVHPKKNPF2SRV0N5MULMZDQTWLC57WVJHG3CPA3J9YW4SFYND72";

	private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
		.withZone(ZoneOffset.UTC);

	private static final Duration TIMEOUT = Duration.ofMinutes(10);

	private final BenchmarkOptions options;

	private final Report report;

	RecoveryBenchmark(BenchmarkOptions options, Report report) {
		this.options = options;
		this.report = report;
	}

	/**
	 * Measure the recovery time alone: {@code bench/run-main.sh
	 * io.github.sqlitebackup.benchmarks.RecoveryBenchmark [--quick] [--runs=3]}.
	 * @param args the benchmark's options
	 */
	public static void main(String[] args) throws Exception {
		BenchmarkOptions options = BenchmarkOptions.parse(args);
		Report report = new Report();
		new RecoveryBenchmark(options, report).run();
		System.out.println(report.markdown());
	}

	void run() throws Exception {
		int size = this.options.recoverySizeMib();
		int runs = Math.min(3, this.options.runs());
		Path work = Files.createDirectories(this.options.work().resolve("recovery"));
		Path database = Databases.create(this.options.work(), size, "wal");
		DatabaseIdentity identity = new DatabaseIdentity("bench", database.toString());
		Path backups = work.resolve("backups");
		FileSystemUtils.deleteRecursively(backups);
		Files.createDirectories(backups);
		try (LoopbackS3 s3 = new LoopbackS3(work.resolve("s3-store"))) {
			Path backup = work.resolve("backup.db");
			Files.deleteIfExists(backup);
			BackupResult result = CopyMethods.templateBackup(database, backup, BackupOptions.ALL_PAGES,
					Verification.QUICK);
			BackupManifest manifest = BackupManifest.of("bench-" + NAME_TIME.format(Instant.now()) + ".db", identity, 1,
					BackupTrigger.MANUAL, Instant.now(), result, Sha256.of(backup), null);
			Map<String, BackupLocation> locations = new LinkedHashMap<>();
			locations.put("local directory", publish(new BackupCatalog(new LocalDirectoryStorage(backups), identity),
					manifest, backup, new StoredForm(Compression.NONE, List.of()), work, List.of()));
			locations.put("S3 on loopback, stored plain", publish(remote(s3.storage("plain"), identity), manifest,
					backup, new StoredForm(Compression.NONE, List.of()), work, List.of()));
			locations.put("S3 on loopback, zstd+age", publish(remote(s3.storage("sealed"), identity), manifest, backup,
					new StoredForm(Compression.ZSTD, List.of(OffsiteBenchmark.AGE_RECIPIENT)), work,
					List.of(AGE_IDENTITY)));
			Files.delete(backup);
			measure(size, runs, database, work, locations);
		}
	}

	private void measure(int size, int runs, Path database, Path work, Map<String, BackupLocation> locations)
			throws Exception {
		Path target = work.resolve("restored/app.db");
		List<Double> cp = new ArrayList<>();
		for (int i = 0; i < runs; i++) {
			Databases.delete(target);
			Files.createDirectories(target.getParent());
			long start = System.nanoTime();
			Tools.run(TIMEOUT, List.of("cp", database.toString(), target.toString()));
			Tools.run(TIMEOUT, List.of("sync", target.toString()));
			cp.add((System.nanoTime() - start) / 1e6);
		}
		double cpMedian = Stats.of(cp).median();
		List<List<String>> rows = new ArrayList<>();
		rows.add(List.of("cp + fsync of the database file", Report.ms(cpMedian), Report.ms(cpMedian), "-",
				Report.ratio(1.0), "-"));
		for (Map.Entry<String, BackupLocation> location : locations.entrySet()) {
			List<Double> total = new ArrayList<>();
			List<Double> check = new ArrayList<>();
			for (int i = 0; i < runs; i++) {
				Databases.delete(target);
				Recovery recovery = new Recovery(List.of(location.getValue()));
				long start = System.nanoTime();
				RecoveredBackup restored = recovery
					.restoreNewest("bench", null, target, Verification.FULL, OfflineRestore.Mode.IF_MISSING,
							(copy, bytes) -> {
							})
					.orElseThrow();
				total.add((System.nanoTime() - start) / 1e6);
				check.add((double) restored.result().check().toMillis());
			}
			double totalMedian = Stats.of(total).median();
			double checkMedian = Stats.of(check).median();
			double withoutCheck = totalMedian - checkMedian;
			rows.add(List.of("restore from " + location.getKey(), Report.ms(totalMedian), Report.ms(withoutCheck),
					Report.ms(checkMedian), Report.ratio(withoutCheck / cpMedian),
					(withoutCheck <= 1.5 * cpMedian) ? "met" : "not met"));
		}
		Databases.delete(target);
		this.report.section("Recovery time, " + size + " MiB", "A missing database file restored from its newest "
				+ "backup the way restore-on-startup and the command-line tool do it (list, download or read, check "
				+ "the stored and plain SHA-256, decrypt and decompress, integrity_check, fsync, rename), next to cp "
				+ "+ fsync of the database file; medians of " + runs + " runs. Target: the restore without its "
				+ "integrity_check within 1.5x of cp.");
		this.report.table("Recovery of a " + size + " MiB database", List.of("method", "total ms",
				"without the check ms", "integrity_check ms", "without the check vs cp", "target (1.5x cp)"), rows);
	}

	private static BackupCatalog remote(BackupStorage storage, DatabaseIdentity identity) {
		return new BackupCatalog(storage, identity, CommitOrder.MANIFEST_LAST);
	}

	private static BackupLocation publish(BackupCatalog catalog, BackupManifest manifest, Path backup, StoredForm form,
			Path work, List<String> identities) throws Exception {
		Path staged = work.resolve("staged");
		Files.deleteIfExists(staged);
		BackupManifest.Stored stored;
		try (InputStream in = Files.newInputStream(backup)) {
			stored = form.encode(in, staged);
		}
		catalog.publish(manifest.storedAs(stored, manifest.sequence()), staged);
		Files.deleteIfExists(staged);
		return new BackupLocation(catalog, new BackupDecoder(identities));
	}

}

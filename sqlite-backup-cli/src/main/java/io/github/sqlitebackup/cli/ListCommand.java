package io.github.sqlitebackup.cli;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.recovery.BackupAge;

/**
 * {@code list}: the complete backups in a location, newest first.
 */
@Command(name = "list", description = "Lists the complete backups in a location, newest first.",
		footer = ExitCode.HELP)
final class ListCommand implements Callable<Integer> {

	@Mixin
	LocationOptions where;

	@Mixin
	OutputOptions output;

	@Option(names = "--database", paramLabel = "ID", description = "Only this database's backups.")
	@Nullable String database;

	@Override
	public Integer call() {
		try (OpenedLocation opened = this.where.open()) {
			List<BackupManifest> backups = opened.backups(this.database);
			Map<String, String> unusable = opened.unusable(this.database);
			if (this.output.json) {
				Map<String, Object> result = new LinkedHashMap<>();
				result.put("location", opened.description());
				result.put("backups", backups.stream().map(ListCommand::describe).toList());
				result.put("unusable", unusable);
				this.output.printJson(result);
			}
			else {
				printTable(backups);
			}
			unusable.forEach((name, reason) -> System.err
				.println("sqlite-backup: warning: " + name + " is not a usable backup: " + reason));
			if (backups.isEmpty()) {
				System.err.println("sqlite-backup: no backups" + ((this.database != null)
						? " of database '" + this.database + "'" : "") + " in " + opened.description());
				return ExitCode.NO_BACKUP;
			}
			return ExitCode.OK;
		}
	}

	private void printTable(List<BackupManifest> backups) {
		Instant now = Instant.now();
		String format = "%-32s %-12s %-20s %-18s %10s %-9s %s%n";
		System.out.printf(format, "NAME", "DATABASE", "CREATED", "AGE", "SIZE", "STORED", "CHECKED");
		for (BackupManifest backup : backups) {
			System.out.printf(format, backup.name(), backup.databaseId(), backup.created().truncatedTo(ChronoUnit.SECONDS),
					BackupAge.describe(backup.created(), now), OutputOptions.size(backup.bytes()),
					backup.stored().codec(), backup.verification().label());
		}
	}

	/**
	 * Describe a backup for JSON output.
	 * @param backup the backup
	 * @return its fields, as in its manifest
	 */
	static Map<String, Object> describe(BackupManifest backup) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("name", backup.name());
		fields.put("database", backup.databaseId());
		fields.put("sequence", backup.sequence());
		fields.put("trigger", backup.trigger().name().toLowerCase(Locale.ROOT));
		fields.put("created", backup.created().toString());
		fields.put("source", backup.source());
		fields.put("journalMode", backup.journalMode().pragmaValue());
		fields.put("pageSize", backup.pageSize());
		fields.put("pages", backup.pageCount());
		fields.put("bytes", backup.bytes());
		fields.put("sha256", backup.sha256());
		fields.put("verification", backup.verification().label());
		fields.put("stored", Map.of("codec", backup.stored().codec(), "bytes", backup.stored().bytes()));
		return fields;
	}

}

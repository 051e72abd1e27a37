package io.github.sqlitebackup.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import io.github.sqlitebackup.BackupVerificationException;
import io.github.sqlitebackup.SqliteBackupException;
import io.github.sqlitebackup.Verification;
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.engine.OfflineRestore;
import io.github.sqlitebackup.offsite.BackupNotReadableException;
import io.github.sqlitebackup.recovery.BackupAge;
import io.github.sqlitebackup.recovery.BackupCopy;
import io.github.sqlitebackup.recovery.RecoveredBackup;
import io.github.sqlitebackup.recovery.Recovery;
import io.github.sqlitebackup.replication.ReplicaNotFoundException;
import io.github.sqlitebackup.replication.ReplicaRestore;

/**
 * {@code restore}: writes one backup (or the newest usable one) to a database file, with
 * the offline restore of {@code sqlite.backup.restore.on-startup}: a private file beside the
 * target, checksums, decryption, the SQLite check, fsync, an atomic rename. The
 * application must not have the target open.
 */
@Command(name = "restore",
		description = { "Restores a backup to a database file: a private file beside it is written, checked "
				+ "(checksums, integrity_check), synced and renamed over it. Stop the application first.",
				"'latest' is the newest verified backup that restores cleanly (a damaged one falls back to the next)." },
		footer = ExitCode.HELP)
final class RestoreCommand implements Callable<Integer> {

	/** SQLite's shared-lock range of a database file (unix VFS): PENDING_BYTE + 2, 510 bytes. */
	private static final long SQLITE_SHARED_FIRST = 0x40000000L + 2;

	private static final long SQLITE_SHARED_SIZE = 510;

	@Mixin
	LocationOptions where;

	@Mixin
	OutputOptions output;

	@Parameters(index = "1", paramLabel = "BACKUP", description = "A backup's name, or latest.")
	String backup;

	@Option(names = "--to", required = true, paramLabel = "FILE", description = "The database file to write.")
	Path target;

	@Option(names = "--database", paramLabel = "ID",
			description = "With latest: the database whose newest backup to restore (needed when the location "
					+ "holds several databases' backups).")
	@Nullable String database;

	@Option(names = "--force",
			description = "Replace an existing database file (and delete its -wal, -shm and -journal files).")
	boolean force;

	@Option(names = "--at", paramLabel = "TIME",
			description = "From a replica location (<directory>/replication-<id>, or <prefix>/<id>/replication/ in the "
					+ "bucket): the state as of this instant (e.g. 2026-12-04T10:15:00Z), the last transaction "
					+ "committed at or before it. Without it, the latest replicated state.")
	@Nullable String at;

	@Option(names = "--check", paramLabel = "LEVEL", defaultValue = "full",
			description = "SQLite check before the file is put in place: full (integrity_check, default), quick "
					+ "(quick_check) or none.")
	Verification check;

	@Override
	public Integer call() {
		Path file = this.target.toAbsolutePath().normalize();
		refuseInsideLocation(file);
		refuseOccupied(file);
		OfflineRestore.Mode mode = this.force ? OfflineRestore.Mode.REPLACE : OfflineRestore.Mode.IF_MISSING;
		Instant pointInTime = pointInTime();
		try (OpenedLocation opened = this.where.open()) {
			if (holdsReplica(opened)) {
				return restoreReplica(opened, file, mode, pointInTime);
			}
			if (pointInTime != null) {
				throw new CliException(ExitCode.USAGE, "--at restores from a replica location; " + opened.description()
						+ " holds backups (restore one by name, or latest)");
			}
			Recovery recovery = new Recovery(List.of(opened.location()));
			ProgressBar progress = this.output.progressBar();
			RecoveredBackup restored;
			try {
				restored = "latest".equals(this.backup) ? restoreLatest(opened, recovery, file, mode, progress)
						: restoreNamed(opened, recovery, file, mode, progress);
			}
			finally {
				progress.end();
			}
			report(restored, opened);
			return ExitCode.OK;
		}
	}

	private @Nullable Instant pointInTime() {
		if (this.at == null) {
			return null;
		}
		try {
			return OffsetDateTime.parse(this.at).toInstant();
		}
		catch (DateTimeParseException ex) {
			throw new CliException(ExitCode.USAGE, "--at " + this.at + " is not an instant such as "
					+ "2026-12-04T10:15:00Z or 2026-12-04T11:15:00+01:00");
		}
	}

	private static boolean holdsReplica(OpenedLocation opened) {
		try {
			return ReplicaRestore.holdsReplica(opened.location().catalog().storage());
		}
		catch (IOException ex) {
			throw new CliException(ExitCode.LOCATION_UNREADABLE,
					"Cannot list " + opened.description() + ": " + ex.getMessage());
		}
	}

	private Integer restoreReplica(OpenedLocation opened, Path file, OfflineRestore.Mode mode,
			@Nullable Instant pointInTime) {
		if (!"latest".equals(this.backup)) {
			throw new CliException(ExitCode.USAGE, opened.description() + " is a replica location: restore latest, "
					+ "with --at for a point in time");
		}
		ReplicaRestore.Restored restored;
		try {
			restored = ReplicaRestore.restore(opened.location().catalog().storage(), opened.location().decoder(), file,
					pointInTime, new OfflineRestore.Settings(this.check, mode, true));
		}
		catch (ReplicaNotFoundException ex) {
			throw new CliException(ExitCode.NO_BACKUP, ex.getMessage());
		}
		catch (IOException | SqliteBackupException ex) {
			throw new CliException(ExitCode.FAILED, "Cannot restore from " + opened.description() + " to " + file
					+ ": " + ex.getMessage() + " Nothing was written.");
		}
		OfflineRestore.Result result = restored.result();
		if (this.output.json) {
			Map<String, Object> fields = new LinkedHashMap<>();
			fields.put("location", opened.description());
			fields.put("database", result.database().toString());
			fields.put("generation", restored.generation());
			fields.put("transaction", restored.transaction());
			fields.put("committed", restored.committed().toString());
			fields.put("bytes", result.bytes());
			fields.put("check", this.check.label());
			this.output.printJson(fields);
		}
		else {
			System.out.println("Restored " + opened.description() + " to " + result.database() + " as of transaction "
					+ restored.transaction() + " of generation " + restored.generation() + ", committed by "
					+ restored.committed() + " (" + BackupAge.describe(restored.committed(), Instant.now()) + "): "
					+ OutputOptions.size(result.bytes()) + ", " + result.pages() + " pages");
		}
		return ExitCode.OK;
	}

	private RecoveredBackup restoreLatest(OpenedLocation opened, Recovery recovery, Path file,
			OfflineRestore.Mode mode, ProgressBar progress) {
		List<BackupManifest> backups = opened.backups(this.database);
		Map<String, String> unusable = opened.unusable(this.database);
		if (backups.isEmpty() && !unusable.isEmpty()) {
			throw new CliException(ExitCode.FAILED, "No usable backup in " + opened.description() + ": "
					+ unusable.entrySet()
						.stream()
						.map((entry) -> entry.getKey() + ": " + entry.getValue())
						.collect(Collectors.joining("; ")));
		}
		backups = opened.someBackups(this.database);
		TreeSet<String> databases = new TreeSet<>(backups.stream().map(BackupManifest::databaseId).toList());
		if (databases.size() > 1) {
			throw new CliException(ExitCode.USAGE, opened.description() + " holds backups of several databases ("
					+ String.join(", ", databases) + "): choose one with --database");
		}
		try {
			Optional<RecoveredBackup> restored = recovery.restoreNewest(databases.first(), null, file, this.check,
					mode, progress);
			return restored.orElseThrow(() -> new CliException(ExitCode.NO_BACKUP, "No verified backup of database '"
					+ databases.first() + "' in " + opened.description() + " (only unchecked ones: restore one by name)"));
		}
		catch (SqliteBackupException ex) {
			throw new CliException(ExitCode.FAILED, ex.getMessage());
		}
	}

	private RecoveredBackup restoreNamed(OpenedLocation opened, Recovery recovery, Path file,
			OfflineRestore.Mode mode, ProgressBar progress) {
		BackupManifest manifest = opened.backups(null)
			.stream()
			.filter((candidate) -> candidate.name().equals(this.backup))
			.findFirst()
			.orElseThrow(() -> notFound(opened));
		if (this.database != null && !manifest.databaseId().equals(this.database)) {
			throw new CliException(ExitCode.NO_BACKUP, "Backup " + this.backup + " in " + opened.description()
					+ " is a backup of database '" + manifest.databaseId() + "', not of '" + this.database + "'");
		}
		BackupCopy copy = new BackupCopy(manifest, opened.location());
		try {
			return new RecoveredBackup(copy, recovery.restore(copy, file, this.check, mode, progress), List.of());
		}
		catch (IOException | SqliteBackupException ex) {
			throw new CliException(ExitCode.FAILED, "Cannot restore " + copy.describe() + " to " + file + ": "
					+ ex.getMessage() + ((ex instanceof BackupVerificationException
							|| ex instanceof BackupNotReadableException || ex instanceof IOException)
									? " Nothing was written." : ""));
		}
	}

	private CliException notFound(OpenedLocation opened) {
		String unusable = opened.unusable(null).get(this.backup);
		if (unusable != null) {
			return new CliException(ExitCode.FAILED, "Backup " + this.backup + " in " + opened.description()
					+ " is not usable: " + unusable);
		}
		return new CliException(ExitCode.NO_BACKUP,
				"No complete backup named '" + this.backup + "' in " + opened.description());
	}

	/**
	 * Refuse to replace a database that a running application has open. SQLite connections
	 * to a WAL database hold a shared lock on the file's shared-lock range for as long as
	 * they are open (in rollback-journal modes only while they read or write).
	 */
	private static void refuseInUse(Path file) {
		if (!Files.isRegularFile(file)) {
			return;
		}
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
			FileLock lock = channel.tryLock(SQLITE_SHARED_FIRST, SQLITE_SHARED_SIZE, false);
			if (lock == null) {
				throw new CliException(ExitCode.TARGET_EXISTS, file + " is open in a running SQLite application (it "
						+ "holds SQLite's lock on the file): stop the application first; --force only replaces a "
						+ "database that nothing uses");
			}
			lock.release();
		}
		catch (IOException ex) {
			// cannot tell (a file system without locks): the help says to stop the application first
		}
	}

	private void refuseInsideLocation(Path file) {
		Path directory = this.where.localDirectory();
		if (directory != null && resolved(file).startsWith(directory)) {
			throw new CliException(ExitCode.USAGE, "--to " + file + " is in the backup directory " + directory
					+ ", which a restore never writes to: choose the database's own path");
		}
	}

	/** The path with the symbolic links of the file and of its existing ancestors resolved. */
	private static Path resolved(Path file) {
		Path existing = file;
		while (existing != null && !Files.exists(existing)) {
			existing = existing.getParent();
		}
		if (existing == null) {
			return file;
		}
		try {
			return existing.toRealPath().resolve(existing.relativize(file));
		}
		catch (IOException ex) {
			return file;
		}
	}

	private void refuseOccupied(Path file) {
		if (this.force) {
			refuseInUse(file);
			return;
		}
		for (String suffix : List.of("", "-wal", "-journal")) {
			Path path = Path.of(file + suffix);
			if (!OfflineRestore.isMissing(path)) {
				throw new CliException(ExitCode.TARGET_EXISTS, path + " exists"
						+ (suffix.isEmpty() ? "" : " beside the target (SQLite would apply it to the restored file)")
						+ ": stop the application and give --force to replace the database, or choose another --to");
			}
		}
	}

	private void report(RecoveredBackup restored, OpenedLocation opened) {
		BackupManifest manifest = restored.copy().backup();
		OfflineRestore.Result result = restored.result();
		String age = BackupAge.describe(manifest.created(), Instant.now());
		if (this.output.json) {
			Map<String, Object> fields = new LinkedHashMap<>();
			fields.put("restored", ListCommand.describe(manifest));
			fields.put("location", opened.description());
			fields.put("database", result.database().toString());
			fields.put("bytes", result.bytes());
			fields.put("check", this.check.label());
			fields.put("copyMillis", result.copy().toMillis());
			fields.put("checkMillis", result.check().toMillis());
			fields.put("skipped", restored.skipped());
			this.output.printJson(fields);
			return;
		}
		String pragma = this.check.pragma();
		System.out.println("Restored " + restored.copy().describe() + " (database '" + manifest.databaseId()
				+ "', made " + manifest.created() + ", " + age + ") to " + result.database() + ": "
				+ OutputOptions.size(result.bytes()) + ", " + result.pages() + " pages; " + result.copy().toMillis()
				+ " ms to copy" + ((pragma != null) ? ", " + pragma + " ok in " + result.check().toMillis() + " ms" : ""));
		restored.skipped().forEach((reason) -> System.out.println("Skipped newer copy " + reason));
	}

}

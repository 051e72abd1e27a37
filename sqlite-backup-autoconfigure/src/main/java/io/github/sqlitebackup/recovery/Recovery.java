package io.github.sqlitebackup.recovery;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.sqlitebackup.BackupVerificationException;
import io.github.sqlitebackup.SqliteBackupException;
import io.github.sqlitebackup.Verification;
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.engine.OfflineRestore;
import io.github.sqlitebackup.offsite.BackupNotReadableException;

/**
 * Restores a database file from the newest usable backup among several locations. Every
 * location is listed first: if one cannot be, nothing is restored (an older backup from
 * another location could silently replace newer data). A backup kept in several locations
 * is read from the first that has it (list the faster one first); a copy that is damaged,
 * cannot be decrypted or fails verification is skipped with a warning for the next copy,
 * then for older backups.
 */
public final class Recovery {

	private static final Log logger = LogFactory.getLog(Recovery.class);

	private final List<BackupLocation> locations;

	/**
	 * Create a recovery over backup locations.
	 * @param locations where backups are kept, in the order a backup kept in several is
	 * read from
	 */
	public Recovery(List<BackupLocation> locations) {
		this.locations = List.copyOf(locations);
	}

	/**
	 * Return where this recovery looks.
	 * @return the locations
	 */
	public List<BackupLocation> locations() {
		return this.locations;
	}

	/**
	 * Return the copies of a database's verified backups, newest first, leaving out the
	 * safety backups of restores (they hold the state a restore replaced). A database's
	 * backups are those made from the file {@code source} when there are any; otherwise
	 * those made from one file under another path (a new machine), never a mix.
	 * @param databaseId the database's id, which its backup names start with
	 * @param source the database file's path as the backups record it, or {@code null}
	 * to accept backups made from any one file
	 * @return the copies
	 * @throws RecoveryFailedException if a location cannot be listed, or the backups under
	 * that id were made from several other files
	 */
	public List<BackupCopy> copiesOf(String databaseId, @Nullable String source) {
		List<BackupCopy> copies = new ArrayList<>();
		for (BackupLocation location : this.locations) {
			for (BackupManifest backup : list(location)) {
				if (backup.databaseId().equals(databaseId) && backup.verified() && !backup.isSafetyBackup()) {
					copies.add(new BackupCopy(backup, location));
				}
			}
		}
		Set<String> sources = new TreeSet<>();
		copies.forEach((copy) -> sources.add(copy.backup().source()));
		if (source != null && sources.contains(source)) {
			copies.removeIf((copy) -> !copy.backup().source().equals(source));
		}
		else if (sources.size() > 1) {
			throw new RecoveryFailedException("The backups of database '" + databaseId + "' in " + describeLocations()
					+ " were made from several database files (" + String.join(", ", sources) + ")"
					+ ((source != null) ? ", none of them " + source : "")
					+ "; restore the one you want by name with the command-line tool. Nothing was restored.");
		}
		copies.sort(Comparator.comparing((BackupCopy copy) -> copy.backup().created())
			.thenComparing((copy) -> copy.backup().name())
			.reversed()
			.thenComparingInt((copy) -> this.locations.indexOf(copy.location())));
		return copies;
	}

	/**
	 * Restore the newest usable backup of a database into a database file.
	 * @param databaseId the database's id
	 * @param source the database file's path as the backups record it, or {@code null}
	 * @param target the database file
	 * @param verification the check the restored file must pass
	 * @param mode whether the target must be missing or may be replaced
	 * @param progress told the bytes written so far, per attempt
	 * @return what was restored, or empty when the locations hold no backup of the database
	 * @throws RecoveryFailedException if there are backups but none could be restored, or
	 * a location cannot be listed
	 * @throws SqliteBackupException if the target is in the way or cannot be written
	 */
	public Optional<RecoveredBackup> restoreNewest(String databaseId, @Nullable String source, Path target,
			Verification verification, OfflineRestore.Mode mode, Progress progress) {
		List<BackupCopy> copies = copiesOf(databaseId, source);
		List<String> unusable = unusable(databaseId);
		List<String> skipped = new ArrayList<>();
		for (BackupCopy copy : copies) {
			try {
				OfflineRestore.Result result = restore(copy, target, verification, mode, progress);
				String restored = copy.backup().name();
				// names sort by creation time; an unusable file newer than the restored backup held newer data
				unusable.stream()
					.filter((reason) -> reason.substring(0, reason.indexOf(' ')).compareTo(restored) > 0)
					.forEach(skipped::add);
				return Optional.of(new RecoveredBackup(copy, result, List.copyOf(skipped)));
			}
			catch (IOException | BackupVerificationException | BackupNotReadableException ex) {
				String reason = copy.describe() + ": " + ex.getMessage();
				logger.warn("Cannot restore backup " + reason + (skipped.size() + 1 < copies.size()
						? "; trying the next one" : ""));
				skipped.add(reason);
			}
		}
		if (copies.isEmpty() && unusable.isEmpty()) {
			return Optional.empty();
		}
		if (copies.isEmpty()) {
			throw new RecoveryFailedException("No usable backup of database '" + databaseId + "' in "
					+ describeLocations() + ", but " + unusable.size() + " backup files without a usable manifest: "
					+ String.join("; ", unusable) + ". Repair or restore one by hand; nothing was written.");
		}
		throw new RecoveryFailedException("None of the " + copies.size() + " copies of verified backups of database '"
				+ databaseId + "' could be restored into " + target + ": " + String.join("; ", skipped)
				+ ". Nothing was written.");
	}

	/** Backup files of the database that no usable manifest describes, as "name in place: reason". */
	private List<String> unusable(String databaseId) {
		List<String> unusable = new ArrayList<>();
		for (BackupLocation location : this.locations) {
			Map<String, String> files;
			try {
				files = location.catalog().unusable(databaseId);
			}
			catch (SqliteBackupException ex) {
				throw new RecoveryFailedException("Cannot list the backups in " + location.description() + ": "
						+ ex.getMessage() + ". Nothing was restored.");
			}
			files.forEach((name, reason) -> {
				logger.warn("Backup " + name + " in " + location.description() + " is not usable: " + reason);
				unusable.add(name + " in " + location.description() + ": " + reason);
			});
		}
		return unusable;
	}

	/**
	 * Restore one copy of a backup into a database file.
	 * @param copy the backup and where to read it
	 * @param target the database file
	 * @param verification the check the restored file must pass
	 * @param mode whether the target must be missing or may be replaced
	 * @param progress told the bytes written so far
	 * @return what was written
	 * @throws IOException if the copy cannot be read or is not the backup its manifest
	 * describes
	 * @throws BackupVerificationException if it is not an intact database
	 * @throws BackupNotReadableException if it cannot be decrypted or decompressed here
	 * @throws SqliteBackupException if the target is in the way or cannot be written
	 */
	public OfflineRestore.Result restore(BackupCopy copy, Path target, Verification verification,
			OfflineRestore.Mode mode, Progress progress) throws IOException {
		BackupManifest backup = copy.backup();
		BackupLocation location = copy.location();
		location.decoder().checkReadable(backup);
		OfflineRestore.Settings settings = new OfflineRestore.Settings(verification, mode,
				backup.journalMode().isWal());
		try (InputStream content = location.decoder().decodeAhead(backup, location.catalog().open(backup))) {
			return OfflineRestore.restore(content, target, settings, (bytes) -> progress.written(copy, bytes));
		}
	}

	/**
	 * Told how far a restore is.
	 */
	@FunctionalInterface
	public interface Progress {

		/**
		 * Called as a copy is written.
		 * @param copy the copy being restored
		 * @param bytes the plain bytes written so far
		 */
		void written(BackupCopy copy, long bytes);

	}

	private List<BackupManifest> list(BackupLocation location) {
		try {
			return location.catalog().everyBackup();
		}
		catch (SqliteBackupException ex) {
			throw new RecoveryFailedException("Cannot list the backups in " + location.description() + ": "
					+ ex.getMessage() + ". Nothing was restored: an older backup elsewhere could hide newer data there.");
		}
	}

	private String describeLocations() {
		return String.join(" and ", this.locations.stream().map(BackupLocation::description).toList());
	}

}

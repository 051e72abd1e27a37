package io.github.sqlitebackup.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.sqlitebackup.BackupOptions;
import io.github.sqlitebackup.BackupResult;
import io.github.sqlitebackup.DatabaseInfo;
import io.github.sqlitebackup.SqliteBackupException;
import io.github.sqlitebackup.SqliteBackupTemplate;
import io.github.sqlitebackup.catalog.BackupCatalog;
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.catalog.BackupNames;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.engine.StagingFile;
import io.github.sqlitebackup.storage.ObjectExistsException;

/**
 * Makes one backup into the catalog: the template writes and verifies a copy under a
 * hidden staging name in the staging directory, then the catalog publishes it with its
 * manifest under a name no other backup has.
 */
final class BackupMaker {

	private static final Log logger = LogFactory.getLog(BackupMaker.class);

	/** Names tried, a millisecond apart, before giving up on a free one. */
	private static final int NAME_ATTEMPTS = 1000;

	private static final SecureRandom RANDOM = new SecureRandom();

	private final SqliteBackupTemplate template;

	private final DatabaseInfo database;

	private final BackupCatalog catalog;

	private final BackupNames names;

	private final Path stagingDirectory;

	private final Clock clock;

	private final Supplier<Optional<BackupManifest>> newestElsewhere;

	private final LongSupplier highestSequenceElsewhere;

	/**
	 * Create a maker.
	 * @param newestElsewhere the newest verified backup kept elsewhere (off-site), known
	 * without listing, for the unchanged check when none is kept locally
	 * @param highestSequenceElsewhere the highest sequence number known elsewhere, so that
	 * sequences keep rising when the local catalog keeps none
	 */
	BackupMaker(SqliteBackupTemplate template, DatabaseInfo database, BackupCatalog catalog, Path stagingDirectory,
			Clock clock, Supplier<Optional<BackupManifest>> newestElsewhere, LongSupplier highestSequenceElsewhere) {
		this.newestElsewhere = newestElsewhere;
		this.highestSequenceElsewhere = highestSequenceElsewhere;
		this.template = template;
		this.database = database;
		this.catalog = catalog;
		this.names = new BackupNames(catalog.identity().id());
		this.stagingDirectory = stagingDirectory;
		this.clock = clock;
	}

	/**
	 * Return the newest verified backup if the database has not changed since it was made.
	 * @return that backup, or empty
	 */
	Optional<BackupManifest> unchangedSince() throws IOException {
		Path file = this.database.file();
		if (file == null) {
			return Optional.empty();
		}
		String signature = ChangeSignature.of(file);
		Optional<BackupManifest> local = this.catalog.entries().stream().filter(BackupManifest::verified).findFirst();
		Optional<BackupManifest> elsewhere = this.newestElsewhere.get();
		Optional<BackupManifest> newest = (elsewhere.isPresent()
				&& (local.isEmpty() || elsewhere.get().created().isAfter(local.get().created()))) ? elsewhere : local;
		return newest.filter((backup) -> signature.equals(backup.changeSignature()));
	}

	/**
	 * Make and publish a backup.
	 * @param trigger what started it
	 * @param state the run, for progress and cancellation
	 * @return the published backup and the copy's result
	 */
	Made make(BackupTrigger trigger, RunState state) throws IOException {
		if (this.database.privateInMemory()) {
			throw new SqliteBackupException("The application's database is a private in-memory database ("
					+ this.database.description() + "): every pooled connection has its own, so a backup could copy an "
					+ "empty one. Back up a database file, or share one in-memory database between connections with "
					+ "jdbc:sqlite:file:<name>?mode=memory&cache=shared.");
		}
		Path file = this.database.file();
		String signature = (file != null) ? ChangeSignature.of(file) : null;
		Instant created = this.clock.instant();
		// unique per run: another database under the same id may stage in the same millisecond
		Path staged = this.stagingDirectory.resolve("." + this.names.nameFor(created) + "."
				+ Long.toUnsignedString(RANDOM.nextLong(), 36) + ".publish" + StagingFile.SUFFIX);
		try {
			BackupOptions options = this.template.getDefaultOptions()
				.withProgress(state::progress)
				.withCancellation(state.cancellation());
			BackupResult result = this.template.backup(staged, options);
			String sha256 = Objects.requireNonNull(result.sha256(), "a file backup's digest");
			long sequence = Math.max(this.catalog.nextSequence(), this.highestSequenceElsewhere.getAsLong() + 1);
			logger.debug("Backup stage publish: " + staged);
			for (int attempt = 0; attempt < NAME_ATTEMPTS; attempt++, created = created.plusMillis(1)) {
				BackupManifest manifest = BackupManifest.of(this.names.nameFor(created), this.catalog.identity(),
						sequence, trigger, created, result, sha256, signature);
				try {
					this.catalog.publish(manifest, staged);
					return new Made(manifest, result);
				}
				catch (ObjectExistsException ex) {
					logger.debug("Backup name " + manifest.name() + " is taken; trying the next millisecond");
				}
			}
			throw new SqliteBackupException("No free backup name near " + this.names.nameFor(created) + " in "
					+ this.catalog.storage().description() + " after " + NAME_ATTEMPTS + " attempts.");
		}
		finally {
			Files.deleteIfExists(staged);
		}
	}

	/**
	 * Return whether a staging file name is one of this database's backups: the job's own
	 * leftovers, which start-up may remove.
	 * @param stagingName a staging file's name
	 * @return {@code true} if it belongs to this database
	 */
	boolean isOwnStagingFile(String stagingName) {
		String name = stagingName.replaceFirst("^\\.+", "");
		int end = name.indexOf(".db");
		return end > 0 && this.catalog.identity().id().equals(BackupNames.prefixOf(name.substring(0, end + 3)));
	}

	/**
	 * A published backup.
	 *
	 * @param manifest its manifest
	 * @param result the copy's result
	 */
	record Made(BackupManifest manifest, BackupResult result) {
	}

}

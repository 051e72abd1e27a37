package io.github.sqlitebackup.job;

import java.io.IOException;
import java.io.InputStream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.sqlitebackup.BackupOptions;
import io.github.sqlitebackup.RestoreListener;
import io.github.sqlitebackup.RestoreResult;
import io.github.sqlitebackup.SqliteBackupException;
import io.github.sqlitebackup.SqliteBackupTemplate;
import io.github.sqlitebackup.StagedBackup;
import io.github.sqlitebackup.catalog.DatabaseIdentity;
import io.github.sqlitebackup.catalog.BackupManifest;

/**
 * Restores one backup of the catalog into the live database:
 * <ol>
 * <li>the backup is copied to a private staging file, and that copy, the one restored, is
 * checked against the manifest (size and SHA-256) and with {@code quick_check};</li>
 * <li>unless forced, a backup of another database, or of another schema version than the
 * live one, is refused;</li>
 * <li>once the restore holds the live database's write lock, the safety backup is taken:
 * it holds everything committed before the restore, since nothing else can commit until
 * the restore ends;</li>
 * <li>then the live database is replaced in one transaction.</li>
 * </ol>
 */
final class Restorer {

	private static final Log logger = LogFactory.getLog(Restorer.class);

	private final SqliteBackupTemplate template;

	private final DatabaseIdentity identity;

	Restorer(SqliteBackupTemplate template, DatabaseIdentity identity) {
		this.template = template;
		this.identity = identity;
	}

	/**
	 * Restore a backup.
	 * @param backup the backup
	 * @param content opens the backup's plain content
	 * @param force whether to restore a backup of another database or schema
	 * @param state the run, for progress and cancellation
	 * @param safetyBackup makes the safety backup and returns its name
	 * @return the result
	 * @throws RestoreRefusedException if the backup is not to be restored without force
	 */
	Restored restore(BackupManifest backup, Content content, boolean force, RunState state, SafetyBackup safetyBackup)
			throws IOException {
		if (!force && !backup.belongsTo(this.identity)) {
			throw new Failed(new RestoreRefusedException("Backup " + backup.name() + " belongs to database "
					+ backup.identity().describe() + ", not to this application's database "
					+ this.identity.describe() + ". Restore it with force=true only if you mean to "
					+ "replace this database with another one."), null);
		}
		return restore("backup " + backup.name(), backup, content, force, state, safetyBackup);
	}

	/**
	 * Restore a state of this database that is no backup of the catalog (a replicated
	 * state written to a file): the same safety backup and schema check, no manifest.
	 * @param description what the state is
	 * @param content opens the state's plain content
	 * @param force whether to restore it despite another schema
	 * @param state the run, for progress and cancellation
	 * @param safetyBackup makes the safety backup and returns its name
	 * @return the result
	 */
	Restored restoreState(String description, Content content, boolean force, RunState state,
			SafetyBackup safetyBackup) throws IOException {
		return restore(description, null, content, force, state, safetyBackup);
	}

	private Restored restore(String description, @Nullable BackupManifest backup, Content content, boolean force,
			RunState state, SafetyBackup safetyBackup) throws IOException {
		Checks checks = new Checks(description, backup, force, safetyBackup);
		BackupOptions options = this.template.getDefaultOptions()
			.withProgress(state::progress)
			.withCancellation(state.cancellation())
			.withRestoreListener(checks);
		try (InputStream in = content.open()) {
			RestoreResult result = this.template.restore(in, description, options);
			logger.info("Restored " + description + " into " + result.database() + "; the state before is in "
					+ "backup " + checks.safetyName);
			return new Restored(result, checks.safetyName);
		}
		catch (SqliteBackupException ex) {
			throw new Failed(ex, checks.safetyName);
		}
	}

	/**
	 * Opens a backup's plain content.
	 */
	@FunctionalInterface
	interface Content {

		/**
		 * Open it.
		 * @return the content, to be closed by the caller
		 * @throws IOException if it cannot be opened
		 */
		InputStream open() throws IOException;

	}

	/**
	 * Makes the safety backup.
	 */
	@FunctionalInterface
	interface SafetyBackup {

		/**
		 * Make it.
		 * @return its name
		 * @throws SqliteBackupException if it fails
		 */
		String make();

	}

	record Restored(RestoreResult result, @Nullable String safetyBackup) {
	}

	/**
	 * A restore that failed or was refused, with the safety backup made before, if any.
	 */
	static final class Failed extends RuntimeException {

		private static final long serialVersionUID = 1L;

		private final transient @Nullable String safetyBackup;

		Failed(SqliteBackupException cause, @Nullable String safetyBackup) {
			super(cause.getMessage(), cause);
			this.safetyBackup = safetyBackup;
		}

		@Nullable String safetyBackup() {
			return this.safetyBackup;
		}

		boolean refused() {
			return getCause() instanceof RestoreRefusedException;
		}

	}

	private static String capitalized(String description) {
		return Character.toUpperCase(description.charAt(0)) + description.substring(1);
	}

	private static final class Checks implements RestoreListener {

		private final String description;

		private final @Nullable BackupManifest backup;

		private final boolean force;

		private final SafetyBackup safetyBackup;

		private volatile @Nullable String safetyName;

		Checks(String description, @Nullable BackupManifest backup, boolean force, SafetyBackup safetyBackup) {
			this.description = description;
			this.backup = backup;
			this.force = force;
			this.safetyBackup = safetyBackup;
		}

		@Override
		public void checkBackup(StagedBackup staged) {
			BackupManifest manifest = this.backup;
			if (manifest != null
					&& (staged.bytes() != manifest.bytes() || !staged.sha256().equals(manifest.sha256()))) {
				throw new SqliteBackupException("Backup " + manifest.name() + " does not match its manifest (read "
						+ staged.bytes() + " bytes with SHA-256 " + staged.sha256() + ", expected " + manifest.bytes()
						+ " bytes with " + manifest.sha256() + "): it was changed or damaged after it was made. "
						+ "The live database was not changed.");
			}
			if (!this.force && !staged.schemaVersion().isSameSchema(staged.liveSchemaVersion())) {
				throw new RestoreRefusedException(capitalized(this.description) + " has another schema than the live "
						+ "database (backup: " + staged.schemaVersion().describe() + "; live: "
						+ staged.liveSchemaVersion().describe() + "), so the running application would not work with "
						+ "it, e.g. after a migration. Stop the application and restore the file offline, then let "
						+ "migrations run at start-up; or restore with force=true and restart the application at once. "
						+ "The live database was not changed.");
			}
		}

		@Override
		public void liveDatabaseLocked() {
			this.safetyName = this.safetyBackup.make();
		}

	}

}

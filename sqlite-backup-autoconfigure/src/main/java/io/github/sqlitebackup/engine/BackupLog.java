package io.github.sqlitebackup.engine;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.sqlitebackup.BackupResult;

/**
 * What the engine logs about finished backups.
 */
final class BackupLog {

	private static final Log logger = LogFactory.getLog(BackupLog.class);

	private BackupLog() {
	}

	/**
	 * Log a successful backup, with a warning when it made writers wait.
	 * @param source the database that was backed up
	 * @param result the result
	 */
	static void succeeded(SourceDatabase source, BackupResult result) {
		if (result.writersBlocked().isZero()) {
			logger.info("Backed up " + source.describe() + " to " + result.target() + ": " + result.pages()
					+ " pages in " + result.duration().toMillis() + " ms (" + result.steps() + " steps, "
					+ result.restarts() + " restarts)");
		}
		else {
			logger.warn("Backed up " + source.describe() + " to " + result.target() + " in "
					+ result.duration().toMillis() + " ms; writers were locked out for " + result.writersBlocked().toMillis()
					+ " ms of it because the database is in journal_mode=" + source.journalMode().pragmaValue()
					+ ". Switch it to WAL (PRAGMA journal_mode=WAL) so that backups never block writers.");
		}
	}

}

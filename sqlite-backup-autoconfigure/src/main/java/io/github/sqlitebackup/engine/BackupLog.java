package io.github.sqlitebackup.engine;

import java.nio.file.Path;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.sqlitebackup.BackupResult;

/**
 * What the engine logs about backups: each stage at debug level, the outcome at info (or
 * warn, when writers had to wait).
 */
final class BackupLog {

	private static final Log logger = LogFactory.getLog(BackupLog.class);

	private BackupLog() {
	}

	static void copying(SourceDatabase source, Path staging) {
		logger.debug("Backup stage copy: copying " + source.describe() + " to " + staging);
	}

	static void verifying(Path staging, String pragma) {
		logger.debug("Backup stage verify: checking " + staging + " with PRAGMA " + pragma);
	}

	static void publishing(Path staging, Path target) {
		logger.debug("Backup stage publish: moving " + staging + " to " + target);
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

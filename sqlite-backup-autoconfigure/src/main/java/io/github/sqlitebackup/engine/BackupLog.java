package io.github.sqlitebackup.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.sqlitebackup.BackupResult;

/**
 * What the engine logs about backups: each stage at debug level, the outcome at info (or
 * warn, when writers had to wait).
 */
final class BackupLog {

	private static final Log logger = LogFactory.getLog(BackupLog.class);

	/** A lock-out of writers at least this long is always worth a warning. */
	static final Duration LONG_LOCK_OUT = Duration.ofSeconds(1);

	private static final Set<String> warnedSources = ConcurrentHashMap.newKeySet();

	private BackupLog() {
	}

	private static boolean firstLockOut(SourceDatabase source) {
		return warnedSources.add(source.describe());
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
	 * Log a successful backup, with a warning when it made writers wait: the first time for
	 * each database in the process, and whenever the lock-out lasted
	 * {@link #LONG_LOCK_OUT} or more. Every lock-out is in the result and the log line.
	 * @param source the database that was backed up
	 * @param result the result
	 */
	static void succeeded(SourceDatabase source, BackupResult result) {
		// in WAL mode only the page copy's moment of write lock counts, never worth a warning
		boolean warn = !result.writersBlocked().isZero() && !source.journalMode().isWal()
				&& (result.writersBlocked().compareTo(LONG_LOCK_OUT) >= 0 || firstLockOut(source));
		if (!warn) {
			logger.info("Backed up " + source.describe() + " to " + result.target() + ": " + result.pages()
					+ " pages in " + result.duration().toMillis() + " ms (" + result.steps() + " steps, "
					+ result.restarts() + " restarts" + (result.writersBlocked().isZero() ? ""
							: ", writers locked out for " + result.writersBlocked().toMillis() + " ms")
					+ ")");
		}
		else {
			logger.warn("Backed up " + source.describe() + " to " + result.target() + " in "
					+ result.duration().toMillis() + " ms; writers were locked out for " + result.writersBlocked().toMillis()
					+ " ms of it because the database is in journal_mode=" + source.journalMode().pragmaValue()
					+ ". Switch it to WAL (PRAGMA journal_mode=WAL) so that backups never block writers.");
		}
	}

}

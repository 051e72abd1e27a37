package io.github.sqlitebackup;

/**
 * How a backup copies the database's pages into its file. Both engines copy one committed
 * state of the database, never block writers in WAL mode, and produce the same bytes.
 */
public enum CopyEngine {

	/**
	 * Copy the pages of a committed state straight from the database file, with the
	 * kernel's copy, and, in WAL mode, the committed frames of that state from the
	 * {@code -wal} over them; about twice as fast as the Online Backup API. A read
	 * transaction pins the state for the copy. In WAL mode the engine holds the write lock
	 * for a moment (no more than a few milliseconds) to learn where that state ends in the
	 * log, which writers wait out with their busy timeout. Used for databases stored in a
	 * file and copied whole ({@code step-size: -1}); anything else (a step size, in-memory
	 * schemas, copies into a connection) goes through the Online Backup API, and so does a
	 * copy whose state cannot be pinned within {@code retry-sleep} times {@code max-retries}.
	 */
	PAGE_COPY,

	/**
	 * SQLite's Online Backup API ({@code sqlite3_backup_step}), the reference engine: steps
	 * of {@code step-size} pages, restarts under writers in rollback-journal modes, progress
	 * after every step.
	 */
	ONLINE_BACKUP_API

}

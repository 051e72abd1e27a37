package io.github.sqlitebackup;

import java.util.Locale;

/**
 * SQLite journal modes, as {@code PRAGMA journal_mode} reports them. The mode decides how
 * a backup coexists with writers: in {@link #WAL} mode a backup reads one snapshot and
 * never blocks writers; in the rollback-journal modes a consistent copy has to hold a
 * read lock that makes writers wait.
 */
public enum JournalMode {

	/** Rollback journal, deleted at the end of each transaction (SQLite's default). */
	DELETE,

	/** Rollback journal, truncated to zero length at the end of each transaction. */
	TRUNCATE,

	/** Rollback journal, header zeroed at the end of each transaction. */
	PERSIST,

	/** Rollback journal kept in memory. */
	MEMORY,

	/** Write-ahead log. */
	WAL,

	/** No rollback journal. */
	OFF;

	/**
	 * Parse the value returned by {@code PRAGMA journal_mode}.
	 * @param value the pragma's value, in any case
	 * @return the journal mode
	 * @throws IllegalArgumentException if the value is not a journal mode
	 */
	public static JournalMode fromPragma(String value) {
		return valueOf(value.trim().toUpperCase(Locale.ROOT));
	}

	/**
	 * Return the mode as {@code PRAGMA journal_mode} reports it.
	 * @return the lower-case name, e.g. {@code wal}
	 */
	public String pragmaValue() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Return whether this is {@link #WAL}, the mode in which backups never block writers.
	 * @return {@code true} for WAL
	 */
	public boolean isWal() {
		return this == WAL;
	}

}

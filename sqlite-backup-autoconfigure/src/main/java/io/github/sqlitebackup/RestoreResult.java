package io.github.sqlitebackup;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The outcome of a successful restore.
 *
 * @param source the backup that was restored: its file, or a description of the stream it
 * was read from
 * @param database the live database file that now holds the backup's content
 * @param schema the schema that was replaced
 * @param journalMode the live database's journal mode
 * @param pageSize the page size in bytes
 * @param pages the number of pages restored
 * @param bytes the restored content's size in bytes
 * @param duration how long the whole operation took
 * @param steps the number of {@code sqlite3_backup_step} calls
 * @param restarts how often the copy started over (normally zero: the source is a private
 * copy)
 */
public record RestoreResult(String source, Path database, String schema, JournalMode journalMode, int pageSize,
		long pages, long bytes, Duration duration, int steps, int restarts) {

}

package io.github.sqlitebackup;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * What the template's database is, as {@link SqliteBackupTemplate#database()} reports it.
 *
 * @param schema the schema the default options work on
 * @param file the file that stores it, or {@code null} for an in-memory or temporary one
 * @param description the file, or a description of an in-memory schema, for messages
 * @param journalMode its journal mode
 * @param privateInMemory whether it is the {@code main} database of a private in-memory
 * connection, which each pooled connection has its own of
 */
public record DatabaseInfo(String schema, @Nullable Path file, String description, JournalMode journalMode,
		boolean privateInMemory) {

}

/**
 * Recovery of a database file from its backups when no live database exists (a new
 * machine, a deleted file): find the newest usable backup among the places backups are
 * kept, restore it offline, and fall back to older ones when one is damaged. Used by
 * restore on start-up and by the command-line tool; free of Spring's application context.
 */
@NullMarked
package io.github.sqlitebackup.recovery;

import org.jspecify.annotations.NullMarked;

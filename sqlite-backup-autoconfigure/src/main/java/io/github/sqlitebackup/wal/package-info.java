/**
 * Reading SQLite's write-ahead log from outside SQLite: its header, the checksum chain of
 * its frames and the committed transactions they hold, shared by the page-level backup
 * engine and continuous replication. Internal API: it may change in any release.
 */
@NullMarked
package io.github.sqlitebackup.wal;

import org.jspecify.annotations.NullMarked;

/**
 * Online, consistent SQLite backups and restores through SQLite's Online Backup API,
 * usable without Spring: start with {@link io.github.sqlitebackup.SqliteBackupTemplate}.
 */
@NullMarked
package io.github.sqlitebackup;

import org.jspecify.annotations.NullMarked;

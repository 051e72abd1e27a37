/**
 * The backup engine behind {@link io.github.sqlitebackup.SqliteBackupTemplate}: how a copy
 * is driven through sqlite-jdbc's Online Backup API, published atomically, checked and
 * aborted. Internal API: it may change in any release; use the template.
 */
@NullMarked
package io.github.sqlitebackup.engine;

import org.jspecify.annotations.NullMarked;

/**
 * Where backups are kept: the {@link io.github.sqlitebackup.storage.BackupStorage}
 * interface and its backends.
 */
@NullMarked
package io.github.sqlitebackup.storage;

import org.jspecify.annotations.NullMarked;

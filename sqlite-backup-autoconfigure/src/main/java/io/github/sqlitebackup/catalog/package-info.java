/**
 * The catalog of one database's backups: a view over a
 * {@link io.github.sqlitebackup.storage.BackupStorage}, with the manifests that describe
 * each backup, their names, and the retention rules.
 */
@NullMarked
package io.github.sqlitebackup.catalog;

import org.jspecify.annotations.NullMarked;

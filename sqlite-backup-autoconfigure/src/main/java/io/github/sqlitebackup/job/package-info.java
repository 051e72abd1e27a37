/**
 * Managed backups: the backup job (scheduled or on demand, one at a time), the catalog of
 * published backups with their manifests, verification, retention and events.
 */
@NullMarked
package io.github.sqlitebackup.job;

import org.jspecify.annotations.NullMarked;

/**
 * Off-site copies: every verified backup is also kept in a remote
 * {@link io.github.sqlitebackup.storage.BackupStorage} (S3 or one of the application's
 * own), compressed and optionally encrypted to age recipients, by an upload queue that
 * retries with backoff and catches up after outages, with its own retention.
 */
@NullMarked
package io.github.sqlitebackup.offsite;

import org.jspecify.annotations.NullMarked;

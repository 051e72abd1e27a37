package io.github.sqlitebackup.offsite;

import java.time.Duration;

import io.github.sqlitebackup.catalog.BackupManifest;

/**
 * A backup that was uploaded.
 *
 * @param backup its manifest in the remote storage (plain and stored sizes and checksums)
 * @param duration how long encoding and uploading took
 */
public record Upload(BackupManifest backup, Duration duration) {
}

package io.github.sqlitebackup.offsite;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.github.sqlitebackup.catalog.BackupManifest;

/**
 * What {@link OffsiteCopies} knows without asking the remote storage.
 *
 * @param storage the remote storage's description
 * @param listed whether the remote storage has been listed since start-up
 * @param newest the newest verified backup known to be in the remote storage, or
 * {@code null}
 * @param pendingUploads backups waiting to be uploaded
 * @param oldestPending when the oldest of them was made, or {@code null}
 * @param lastUpload when the last upload ended, or {@code null}
 * @param lastFailure the last failed attempt, or {@code null}
 * @param consecutiveFailures failed attempts since the last success
 * @param nextAttempt when the next attempt is due after failures, or {@code null}
 */
public record OffsiteStatus(String storage, boolean listed, @Nullable BackupManifest newest, int pendingUploads,
		@Nullable Instant oldestPending, @Nullable Instant lastUpload, @Nullable UploadFailure lastFailure,
		int consecutiveFailures, @Nullable Instant nextAttempt) {
}

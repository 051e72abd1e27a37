package io.github.sqlitebackup.storage;

import java.time.Instant;

/**
 * A complete object in a {@link BackupStorage}.
 *
 * @param key its key
 * @param size its size in bytes
 * @param lastModified when the storage last wrote it, by the storage's clock
 */
public record StoredObject(String key, long size, Instant lastModified) {

}

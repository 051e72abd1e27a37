package io.github.sqlitebackup.engine;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What the native copy did.
 *
 * @param pages pages in the copy
 * @param steps {@code sqlite3_backup_step} calls that succeeded
 * @param restarts times the copy started over
 * @param writersBlocked how long the copy held a lock that made writers wait
 * @param sha256 the copy's SHA-256 if the engine computed it as it copied, else {@code null}
 */
record CopyStats(long pages, int steps, int restarts, Duration writersBlocked, @Nullable String sha256) {

}

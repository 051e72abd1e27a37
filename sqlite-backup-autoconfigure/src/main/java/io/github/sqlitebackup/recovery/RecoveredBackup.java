package io.github.sqlitebackup.recovery;

import java.util.List;

import io.github.sqlitebackup.engine.OfflineRestore;

/**
 * A backup restored into a database file.
 *
 * @param copy the backup and where it was read from
 * @param result what was written
 * @param skipped the newer copies that could not be used, each with the reason
 */
public record RecoveredBackup(BackupCopy copy, OfflineRestore.Result result, List<String> skipped) {

}

package io.github.sqlitebackup.job;

import java.util.Comparator;

import io.github.sqlitebackup.catalog.BackupManifest;

/**
 * A backup and where it is kept.
 *
 * @param manifest its manifest: the local one when there is a local copy
 * @param local whether it is in the local catalog
 * @param remote whether it is in the remote storage (as far as the last listing showed)
 */
public record LocatedBackup(BackupManifest manifest, boolean local, boolean remote) {

	static final Comparator<LocatedBackup> NEWEST_FIRST = Comparator
		.comparing((LocatedBackup backup) -> backup.manifest().created())
		.thenComparing((backup) -> backup.manifest().name())
		.reversed();

}

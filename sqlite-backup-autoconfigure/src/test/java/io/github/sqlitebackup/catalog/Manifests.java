package io.github.sqlitebackup.catalog;

import java.time.Instant;

import io.github.sqlitebackup.JournalMode;
import io.github.sqlitebackup.SchemaVersion;
import io.github.sqlitebackup.Verification;

/**
 * Manifests for tests of the catalog's pure logic.
 */
final class Manifests {

	static final DatabaseIdentity APP = new DatabaseIdentity("app", "/var/lib/app/app.db");

	private Manifests() {
	}

	static BackupManifest manifest(long sequence, Instant created) {
		return manifest(APP, sequence, created, BackupTrigger.SCHEDULE, Verification.QUICK);
	}

	static BackupManifest manifest(DatabaseIdentity identity, long sequence, Instant created, BackupTrigger trigger,
			Verification verification) {
		String name = new BackupNames(identity.id()).nameFor(created.plusMillis(sequence));
		String sha256 = "ab".repeat(32);
		return new BackupManifest(BackupManifest.FORMAT_VERSION, name, identity.id(), sequence, trigger, created,
				identity.source(), "main", JournalMode.WAL, 4096, 3, 12288, sha256, "3.53.2", verification, 12, 3, 1,
				0, "sig", new SchemaVersion(4, "cd".repeat(32), "flyway 2"),
				new BackupManifest.Stored(BackupManifest.Stored.PLAIN, 12288, sha256));
	}

}

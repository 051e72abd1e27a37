package io.github.sqlitebackup.catalog;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.github.sqlitebackup.Verification;

import static io.github.sqlitebackup.catalog.Manifests.manifest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The retention rules, on manifests alone.
 */
class RetentionPolicyTests {

	private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

	private final RetentionPolicy policy = new RetentionPolicy(2, Duration.ofDays(30), 1);

	@Test
	void keepsTheNewestBySequenceNotByCreationTime() {
		// the clock stepped back a day before the newest backup (sequence 3) was made
		BackupManifest newest = manifest(3, NOW.minus(Duration.ofDays(1)));
		BackupManifest middle = manifest(2, NOW.minusSeconds(60));
		BackupManifest oldest = manifest(1, NOW.minusSeconds(120));
		assertThat(this.policy.toDelete(newestFirst(oldest, middle, newest), NOW, true, Set.of()))
			.containsExactly(oldest);
	}

	@Test
	void neverDeletesProtectedNamesOrTheNewestVerifiedBackup() {
		BackupManifest unverified = manifest(Manifests.APP, 3, NOW, BackupTrigger.MANUAL, Verification.NONE);
		BackupManifest verified = manifest(2, NOW.minus(Duration.ofDays(90)));
		BackupManifest justRestored = manifest(1, NOW.minus(Duration.ofDays(91)));
		assertThat(this.policy.toDelete(newestFirst(unverified, verified, justRestored), NOW, true,
				Set.of(justRestored.name())))
			.isEmpty();
	}

	@Test
	void safetyBackupsHaveTheirOwnLimit() {
		BackupManifest safety2 = manifest(Manifests.APP, 5, NOW, BackupTrigger.RESTORE, Verification.QUICK);
		BackupManifest safety1 = manifest(Manifests.APP, 4, NOW, BackupTrigger.RESTORE, Verification.QUICK);
		BackupManifest regular3 = manifest(3, NOW);
		BackupManifest regular2 = manifest(2, NOW);
		BackupManifest regular1 = manifest(1, NOW);
		assertThat(this.policy.toDelete(newestFirst(safety2, safety1, regular3, regular2, regular1), NOW, true,
				Set.of()))
			.containsExactlyInAnyOrder(safety1, regular1);
	}

	@Test
	void maxAgeOnlyWhenTheClockIsTrusted() {
		BackupManifest newest = manifest(2, NOW);
		BackupManifest old = manifest(1, NOW.minus(Duration.ofDays(31)));
		assertThat(this.policy.toDelete(newestFirst(newest, old), NOW, true, Set.of())).containsExactly(old);
		assertThat(this.policy.toDelete(newestFirst(newest, old), NOW, false, Set.of())).isEmpty();
	}

	@Test
	void aBackupDatedInTheFutureIsNeverOld() {
		BackupManifest future = manifest(1, NOW.plus(Duration.ofDays(400)));
		BackupManifest newest = manifest(2, NOW);
		assertThat(this.policy.toDelete(newestFirst(newest, future), NOW, true, Set.of())).isEmpty();
	}

	@Test
	void rejectsNegativeKeepLastAndLimitsBelowOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RetentionPolicy(-1, Duration.ofDays(1), 1))
			.withMessageContaining("keep-last");
		assertThatIllegalArgumentException().isThrownBy(() -> new RetentionPolicy(1, Duration.ofDays(1), 0))
			.withMessageContaining("keep-safety");
		assertThatIllegalArgumentException().isThrownBy(() -> new RetentionPolicy(1, Duration.ZERO, 1))
			.withMessageContaining("max-age");
	}

	@Test
	void keepLastZeroDeletesEvenTheNewestVerifiedOnceItIsKeptElsewhere() {
		RetentionPolicy onlyElsewhere = new RetentionPolicy(0, Duration.ofDays(30), 1);
		BackupManifest older = manifest(1, NOW);
		BackupManifest newest = manifest(2, NOW);
		List<BackupManifest> catalog = newestFirst(newest, older);
		assertThat(onlyElsewhere.toDelete(catalog, NOW, true, Set.of())).containsExactly(older);
		assertThat(onlyElsewhere.toDelete(catalog, NOW, true, Set.of(), newest.name()::equals)).containsExactly(newest,
				older);
		assertThat(onlyElsewhere.toDelete(catalog, NOW, true, Set.of(older.name()), newest.name()::equals))
			.containsExactly(newest);
	}

	private static List<BackupManifest> newestFirst(BackupManifest... manifests) {
		return Stream.of(manifests).sorted(Comparator.comparingLong(BackupManifest::sequence).reversed()).toList();
	}

}

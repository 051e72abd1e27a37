package io.github.sqlitebackup.job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which backups to delete: those beyond the newest {@code keepLast}, and those older than
 * {@code maxAge}; but never the newest verified backup.
 *
 * @param keepLast how many of the newest backups to keep at most, one or more
 * @param maxAge the age after which a backup is deleted, positive
 */
public record RetentionPolicy(int keepLast, Duration maxAge) {

	/**
	 * Create a policy.
	 * @param keepLast how many of the newest backups to keep at most, one or more
	 * @param maxAge the age after which a backup is deleted, positive
	 */
	public RetentionPolicy {
		checkKeepLast(keepLast);
		checkMaxAge(maxAge);
	}

	/**
	 * Check a keep-last value.
	 * @param keepLast the value
	 * @return the value
	 * @throws IllegalArgumentException if it is less than 1
	 */
	public static int checkKeepLast(int keepLast) {
		if (keepLast < 1) {
			throw new IllegalArgumentException("keep-last must be 1 or more, but was " + keepLast);
		}
		return keepLast;
	}

	/**
	 * Check a max-age value.
	 * @param maxAge the value
	 * @return the value
	 * @throws IllegalArgumentException if it is not positive
	 */
	public static Duration checkMaxAge(Duration maxAge) {
		if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
			throw new IllegalArgumentException("max-age must be positive, but was " + maxAge);
		}
		return maxAge;
	}

	/**
	 * Select the backups to delete.
	 * @param newestFirst the catalog, newest first
	 * @param now the current time
	 * @return the backups to delete
	 */
	public List<BackupManifest> toDelete(List<BackupManifest> newestFirst, Instant now) {
		BackupManifest newestVerified = newestFirst.stream().filter(BackupManifest::verified).findFirst().orElse(null);
		Instant oldestKept = now.minus(this.maxAge);
		List<BackupManifest> deletions = new ArrayList<>();
		for (int i = 0; i < newestFirst.size(); i++) {
			BackupManifest backup = newestFirst.get(i);
			boolean expired = i >= this.keepLast || backup.created().isBefore(oldestKept);
			if (expired && backup != newestVerified) {
				deletions.add(backup);
			}
		}
		return deletions;
	}

}

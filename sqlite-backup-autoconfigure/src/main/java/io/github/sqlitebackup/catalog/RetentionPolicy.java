package io.github.sqlitebackup.catalog;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which backups to delete. Backups are ranked by their manifests' sequence numbers, never
 * by their creation times, so a clock that steps back cannot make a new backup look old:
 * <ul>
 * <li>regular backups beyond the newest {@code keepLast};</li>
 * <li>safety backups (taken before a restore) beyond the newest {@code keepSafety}, so that
 * restores never push out regular backups;</li>
 * <li>backups created more than {@code maxAge} ago, unless the caller suspends that rule
 * (after a detected clock step); a backup dated in the future is never old.</li>
 * </ul>
 * Never deleted: the newest verified backup (unless a copy of it is kept elsewhere, e.g.
 * off-site), and the backups the caller protects (the one it has just published, the one
 * it has just restored, those not yet copied off-site).
 *
 * @param keepLast how many regular backups to keep at most; zero keeps only those that
 * are not kept elsewhere
 * @param maxAge the age after which a backup is deleted, positive
 * @param keepSafety how many safety backups to keep at most, one or more
 */
public record RetentionPolicy(int keepLast, Duration maxAge, int keepSafety) {

	/**
	 * Create a policy.
	 * @param keepLast how many regular backups to keep at most, zero or more
	 * @param maxAge the age after which a backup is deleted, positive
	 * @param keepSafety how many safety backups to keep at most, one or more
	 */
	public RetentionPolicy {
		if (keepLast < 0) {
			throw new IllegalArgumentException("keep-last must be 0 or more, but was " + keepLast);
		}
		checkKeep("keep-safety", keepSafety);
		checkMaxAge(maxAge);
	}

	/**
	 * Check a keep-last or keep-safety value.
	 * @param property the property's name, for the message
	 * @param keep the value
	 * @return the value
	 * @throws IllegalArgumentException if it is less than 1
	 */
	public static int checkKeep(String property, int keep) {
		if (keep < 1) {
			throw new IllegalArgumentException(property + " must be 1 or more, but was " + keep);
		}
		return keep;
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
	 * @param newestFirst the catalog, newest (highest sequence) first
	 * @param now the current time
	 * @param applyMaxAge whether the max-age rule applies (not after a clock step)
	 * @param protectedNames names that must not be deleted
	 * @return the backups to delete
	 */
	public List<BackupManifest> toDelete(List<BackupManifest> newestFirst, Instant now, boolean applyMaxAge,
			Set<String> protectedNames) {
		return toDelete(newestFirst, now, applyMaxAge, protectedNames, (name) -> false);
	}

	/**
	 * Select the backups to delete, where some are also kept elsewhere.
	 * @param newestFirst the catalog, newest (highest sequence) first
	 * @param now the current time
	 * @param applyMaxAge whether the max-age rule applies (not after a clock step)
	 * @param protectedNames names that must not be deleted
	 * @param keptElsewhere whether a backup of that name is also kept elsewhere, so that it
	 * may be deleted here even if it is the newest verified one
	 * @return the backups to delete
	 */
	public List<BackupManifest> toDelete(List<BackupManifest> newestFirst, Instant now, boolean applyMaxAge,
			Set<String> protectedNames, Predicate<String> keptElsewhere) {
		BackupManifest newestVerified = newestFirst.stream()
			.filter(BackupManifest::verified)
			.findFirst()
			.filter((newest) -> !keptElsewhere.test(newest.name()))
			.orElse(null);
		Instant oldestKept = now.minus(this.maxAge);
		List<BackupManifest> deletions = new ArrayList<>();
		int regular = 0;
		int safety = 0;
		for (BackupManifest backup : newestFirst) {
			int rank = backup.isSafetyBackup() ? ++safety : ++regular;
			int keep = backup.isSafetyBackup() ? this.keepSafety : this.keepLast;
			boolean expired = rank > keep || (applyMaxAge && backup.created().isBefore(oldestKept));
			if (expired && backup != newestVerified && !protectedNames.contains(backup.name())) {
				deletions.add(backup);
			}
		}
		return deletions;
	}

}

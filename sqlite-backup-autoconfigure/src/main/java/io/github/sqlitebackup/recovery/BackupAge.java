package io.github.sqlitebackup.recovery;

import java.time.Duration;
import java.time.Instant;

/**
 * How old a backup is: the window of writes a restore of it loses.
 */
public final class BackupAge {

	private BackupAge() {
	}

	/**
	 * Describe a backup's age for an operator.
	 * @param created when the backup was made
	 * @param now the time now
	 * @return e.g. {@code 42 s ago}, {@code 3 h 12 min ago}, or {@code in the future by
	 * this clock} when the backup's clock was ahead
	 */
	public static String describe(Instant created, Instant now) {
		Duration age = Duration.between(created, now);
		if (age.isNegative()) {
			return "in the future by this clock";
		}
		long seconds = age.toSeconds();
		if (seconds < 120) {
			return seconds + " s ago";
		}
		if (seconds < 7200) {
			return (seconds / 60) + " min ago";
		}
		if (seconds < 2 * 86400) {
			return (seconds / 3600) + " h " + (seconds % 3600 / 60) + " min ago";
		}
		return (seconds / 86400) + " days " + (seconds % 86400 / 3600) + " h ago";
	}

}

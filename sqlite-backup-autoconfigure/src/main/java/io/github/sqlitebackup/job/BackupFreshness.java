package io.github.sqlitebackup.job;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.support.CronExpression;

/**
 * When the newest good backup counts as stale: before a fixed age, or, for a cron schedule,
 * before the schedule's second most recent fire time (one scheduled run may be missed or
 * still running; two may not). Judging a cron schedule by its own fire times keeps
 * {@code 0 0 2 * * MON-FRI} fresh over the weekend.
 */
@FunctionalInterface
public interface BackupFreshness {

	/**
	 * Return the instant before which the newest good backup is stale.
	 * @param now the current time
	 * @return the limit, or {@code null} if no backup can be stale now
	 */
	@Nullable Instant staleBefore(Instant now);

	/**
	 * Stale when older than a fixed age.
	 * @param maxAge the age
	 * @return the freshness rule
	 */
	static BackupFreshness maxAge(Duration maxAge) {
		return (now) -> now.minus(maxAge);
	}

	/**
	 * Stale when older than the cron schedule's second most recent fire time.
	 * @param cron the schedule
	 * @param zone its time zone
	 * @return the freshness rule
	 */
	static BackupFreshness cron(CronExpression cron, ZoneId zone) {
		return (now) -> previousFireTimes(cron, zone, now);
	}

	private static @Nullable Instant previousFireTimes(CronExpression cron, ZoneId zone, Instant now) {
		ZonedDateTime end = now.atZone(zone);
		Duration longest = Duration.ofDays(3 * 366);
		for (Duration window = Duration.ofMinutes(2);; window = min(window.multipliedBy(8), longest)) {
			ZonedDateTime last = null;
			ZonedDateTime beforeLast = null;
			ZonedDateTime next = cron.next(end.minus(window));
			while (next != null && !next.isAfter(end)) {
				beforeLast = last;
				last = next;
				next = cron.next(next);
			}
			if (beforeLast != null) {
				return beforeLast.toInstant();
			}
			if (window.equals(longest)) {
				return null;
			}
		}
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

}

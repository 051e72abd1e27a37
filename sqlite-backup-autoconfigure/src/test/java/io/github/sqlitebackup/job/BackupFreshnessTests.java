package io.github.sqlitebackup.job;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import org.springframework.scheduling.support.CronExpression;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the newest backup counts as stale.
 */
class BackupFreshnessTests {

	private static final Instant MONDAY_10 = Instant.parse("2026-11-23T10:00:00Z");

	@Test
	void weekdayCronStaysFreshOverTheWeekend() {
		BackupFreshness freshness = BackupFreshness.cron(CronExpression.parse("0 0 2 * * MON-FRI"), ZoneOffset.UTC);
		// fired Monday 02:00; the one before was Friday 02:00: Friday's backup is still fresh
		assertThat(freshness.staleBefore(MONDAY_10)).isEqualTo(Instant.parse("2026-11-20T02:00:00Z"));
		assertThat(freshness.staleBefore(Instant.parse("2026-11-24T10:00:00Z")))
			.isEqualTo(Instant.parse("2026-11-23T02:00:00Z"));
	}

	@Test
	void frequentCronLooksBackOnlyAsFarAsNeeded() {
		BackupFreshness freshness = BackupFreshness.cron(CronExpression.parse("*/10 * * * * *"), ZoneOffset.UTC);
		assertThat(freshness.staleBefore(MONDAY_10)).isEqualTo(MONDAY_10.minusSeconds(10));
	}

	@Test
	void yearlyCron() {
		BackupFreshness freshness = BackupFreshness.cron(CronExpression.parse("0 0 0 1 1 *"), ZoneOffset.UTC);
		assertThat(freshness.staleBefore(MONDAY_10)).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
	}

	@Test
	void maxAge() {
		assertThat(BackupFreshness.maxAge(Duration.ofHours(3)).staleBefore(MONDAY_10))
			.isEqualTo(MONDAY_10.minus(Duration.ofHours(3)));
	}

}

package io.github.sqlitebackup.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steps of the wall clock against the monotonic clock.
 */
class ClockWatchTests {

	private Instant wall = Instant.parse("2026-11-22T12:00:00Z");

	private final AtomicLong nanos = new AtomicLong();

	private final ClockWatch watch = new ClockWatch(new Clock() {

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return ClockWatchTests.this.wall;
		}

	}, this.nanos::get);

	@Test
	void clocksMovingTogetherAreNoStep() {
		assertThat(this.watch.step()).isNull();
		advance(Duration.ofHours(5), Duration.ofHours(5).plusSeconds(20));
		assertThat(this.watch.step()).isNull();
		assertThat(this.watch.hasStepped()).isFalse();
	}

	@Test
	void stepsBackAndForwardAreSeenAndRemembered() {
		this.watch.step();
		advance(Duration.ofDays(-1), Duration.ofSeconds(10));
		assertThat(this.watch.step()).isEqualTo(Duration.ofDays(-1).minusSeconds(10));
		advance(Duration.ofHours(1), Duration.ofHours(1));
		assertThat(this.watch.step()).isNull();
		assertThat(this.watch.hasStepped()).isTrue();
	}

	private void advance(Duration wallClock, Duration monotonic) {
		this.wall = this.wall.plus(wallClock);
		this.nanos.addAndGet(monotonic.toNanos());
	}

}

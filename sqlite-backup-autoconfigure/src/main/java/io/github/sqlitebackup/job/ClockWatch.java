package io.github.sqlitebackup.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Notices steps of the wall clock between two runs by comparing how far it moved with how
 * far the monotonic clock moved. After a step, ages computed from the wall clock cannot be
 * trusted for the rest of the process's life: a forward step would make every backup look
 * old to the max-age rule, and whether the clock was wrong before or after the step cannot
 * be told.
 */
final class ClockWatch {

	/** Drift between the two clocks that still counts as no step. */
	private static final Duration TOLERANCE = Duration.ofMinutes(1);

	private final Clock clock;

	private final LongSupplier nanoTime;

	private @Nullable Instant lastWall;

	private long lastNanos;

	private @Nullable Duration firstStep;

	ClockWatch(Clock clock, LongSupplier nanoTime) {
		this.clock = clock;
		this.nanoTime = nanoTime;
	}

	/**
	 * Read the clocks and return the step since the previous call.
	 * @return how far the wall clock moved beyond (positive) or short of (negative) the
	 * monotonic clock, or {@code null} when that is within the tolerance or this is the
	 * first call
	 */
	synchronized @Nullable Duration step() {
		Instant wall = this.clock.instant();
		long nanos = this.nanoTime.getAsLong();
		Duration step = null;
		if (this.lastWall != null) {
			Duration drift = Duration.between(this.lastWall, wall).minusNanos(nanos - this.lastNanos);
			if (drift.abs().compareTo(TOLERANCE) > 0) {
				step = drift;
				if (this.firstStep == null) {
					this.firstStep = drift;
				}
			}
		}
		this.lastWall = wall;
		this.lastNanos = nanos;
		return step;
	}

	/**
	 * Return whether a step has been seen since the process started.
	 * @return {@code true} if ages from the wall clock cannot be trusted
	 */
	synchronized boolean hasStepped() {
		return this.firstStep != null;
	}

}

package io.github.sqlitebackup.job;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * Lets one run (backup or restore) in at a time; a second one is turned away, not queued.
 */
final class RunGate {

	private final AtomicReference<@Nullable RunState> running = new AtomicReference<>();

	private final AtomicLong turnedAway = new AtomicLong();

	private final Object idle = new Object();

	/**
	 * Let a run in if no other holds the gate.
	 * @param state the run
	 * @return {@code null} if it may go on, else why not
	 */
	@Nullable String enter(RunState state) {
		if (this.running.compareAndSet(null, state)) {
			return null;
		}
		this.turnedAway.incrementAndGet();
		RunState other = this.running.get();
		return "a backup or restore is already running"
				+ ((other != null) ? " (started " + other.started() + " by " + other.trigger() + ")" : "");
	}

	void leave() {
		this.running.set(null);
		synchronized (this.idle) {
			this.idle.notifyAll();
		}
	}

	@Nullable RunState current() {
		return this.running.get();
	}

	long turnedAway() {
		return this.turnedAway.get();
	}

	/**
	 * Wait until no run holds the gate.
	 * @param timeout how long to wait at most
	 * @return {@code true} if idle
	 */
	boolean awaitIdle(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.idle) {
			while (this.running.get() != null) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return false;
				}
				try {
					this.idle.wait(Math.max(1, remaining / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
		}
		return true;
	}

}

package io.github.sqlitebackup.job;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.Trigger;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import io.github.sqlitebackup.catalog.BackupTrigger;

/**
 * Runs the {@link BackupJob} on its schedule and takes care of it at start-up and
 * shutdown.
 * <p>
 * When the context starts it has the job remove what a killed restore left beside the
 * live database, then starts the schedule.
 * <p>
 * It schedules on a private single-thread {@link ThreadPoolTaskScheduler} that is not a
 * bean, so the application's own {@code TaskScheduler}, its {@code @Scheduled} methods and
 * Spring Boot's task scheduling auto-configuration are left as they are, and a long backup
 * never delays the application's tasks.
 * <p>
 * When the context closes it stops the schedule, lets a running backup finish within the
 * shutdown timeout (then cancels it, publishing nothing), and, if asked to, takes a last
 * backup. It stops after the web server, so requests in flight are served first.
 */
public class BackupScheduler implements SmartLifecycle {

	/**
	 * The lifecycle phase of schedulers: they stop after the web server
	 * ({@code DEFAULT_PHASE - 2048}) has stopped taking requests.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Log logger = LogFactory.getLog(BackupScheduler.class);

	private final BackupJob job;

	private final @Nullable Trigger trigger;

	private final String description;

	private final Duration shutdownTimeout;

	private final boolean backupOnShutdown;

	private @Nullable ThreadPoolTaskScheduler scheduler;

	private @Nullable ScheduledFuture<?> scheduled;

	private volatile boolean running;

	/**
	 * Create a scheduler.
	 * @param job the job to run
	 * @param trigger when to run it, or {@code null} for no schedule
	 * @param description the schedule in words, for the log
	 * @param shutdownTimeout how long a running backup may take to finish at shutdown
	 * @param backupOnShutdown whether to take a last backup at shutdown
	 */
	public BackupScheduler(BackupJob job, @Nullable Trigger trigger, String description, Duration shutdownTimeout,
			boolean backupOnShutdown) {
		this.job = job;
		this.trigger = trigger;
		this.description = description;
		this.shutdownTimeout = shutdownTimeout;
		this.backupOnShutdown = backupOnShutdown;
	}

	@Override
	public void start() {
		this.job.removeLeftovers();
		if (this.trigger != null) {
			ThreadPoolTaskScheduler taskScheduler = new ThreadPoolTaskScheduler();
			taskScheduler.setPoolSize(1);
			taskScheduler.setThreadNamePrefix("sqlite-backup-");
			taskScheduler.setDaemon(true);
			taskScheduler.initialize();
			this.scheduled = taskScheduler.schedule(() -> this.job.run(BackupTrigger.SCHEDULE), this.trigger);
			this.scheduler = taskScheduler;
			logger.info("Scheduled backups of database " + this.job.databaseId() + ": " + this.description);
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.scheduled != null) {
			this.scheduled.cancel(false);
		}
		this.job.stop(this.shutdownTimeout);
		if (this.backupOnShutdown) {
			this.job.run(BackupTrigger.SHUTDOWN);
		}
		this.job.stopUploads(this.shutdownTimeout);
		if (this.scheduler != null) {
			this.scheduler.shutdown();
			this.scheduler = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}

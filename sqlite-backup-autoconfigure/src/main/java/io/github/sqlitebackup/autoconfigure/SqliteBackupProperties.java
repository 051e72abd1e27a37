package io.github.sqlitebackup.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

import io.github.sqlitebackup.BackupOptions;

/**
 * Configuration properties of sqlite-backup, prefix {@code sqlite.backup}. Invalid values
 * stop the application at startup with a message that names the property.
 */
@ConfigurationProperties("sqlite.backup")
public class SqliteBackupProperties {

	/**
	 * Whether to auto-configure sqlite-backup.
	 */
	private boolean enabled = true;

	/**
	 * Pages copied per sqlite3_backup_step. -1 copies the whole database in one step (the
	 * fastest; cancellation takes effect when the step ends). A positive size gives
	 * progress, prompt cancellation and, with step-pause, room for writers.
	 */
	private int stepSize = -1;

	/**
	 * Wait after SQLITE_BUSY or SQLITE_LOCKED before retrying a step. Unitless values are
	 * milliseconds.
	 */
	@DurationUnit(ChronoUnit.MILLIS)
	private Duration retrySleep = Duration.ofMillis(100);

	/**
	 * Busy or locked retries of one step before the backup fails.
	 */
	private int maxRetries = 50;

	/**
	 * Pause after each step, to give concurrent writers room (pacing). Unitless values are
	 * milliseconds.
	 */
	@DurationUnit(ChronoUnit.MILLIS)
	private Duration stepPause = Duration.ZERO;

	/**
	 * Schema to back up and restore: "main", or the name of a database attached to the
	 * application's connections.
	 */
	private String schema = "main";

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public int getStepSize() {
		return this.stepSize;
	}

	public void setStepSize(int stepSize) {
		BackupOptions.defaults().withStepSize(stepSize);
		this.stepSize = stepSize;
	}

	public Duration getRetrySleep() {
		return this.retrySleep;
	}

	public void setRetrySleep(Duration retrySleep) {
		BackupOptions.defaults().withRetrySleep(retrySleep);
		this.retrySleep = retrySleep;
	}

	public int getMaxRetries() {
		return this.maxRetries;
	}

	public void setMaxRetries(int maxRetries) {
		BackupOptions.defaults().withMaxRetries(maxRetries);
		this.maxRetries = maxRetries;
	}

	public Duration getStepPause() {
		return this.stepPause;
	}

	public void setStepPause(Duration stepPause) {
		BackupOptions.defaults().withStepPause(stepPause);
		this.stepPause = stepPause;
	}

	public String getSchema() {
		return this.schema;
	}

	public void setSchema(String schema) {
		BackupOptions.defaults().withSchema(schema);
		this.schema = schema;
	}

	/**
	 * Return these properties as the template's default options.
	 * @return the options
	 */
	public BackupOptions toBackupOptions() {
		return BackupOptions.defaults()
			.withSchema(this.schema)
			.withStepSize(this.stepSize)
			.withRetrySleep(this.retrySleep)
			.withMaxRetries(this.maxRetries)
			.withStepPause(this.stepPause);
	}

}

package io.github.sqlitebackup.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;

import org.springframework.beans.factory.InitializingBean;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.convert.DurationUnit;

import io.github.sqlitebackup.BackupOptions;

/**
 * Configuration properties of sqlite-backup, prefix {@code sqlite.backup}. Invalid values
 * stop the application at startup with a message that names the property.
 */
@ConfigurationProperties(SqliteBackupProperties.PREFIX)
public class SqliteBackupProperties implements InitializingBean {

	static final String PREFIX = "sqlite.backup";

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
		this.stepSize = stepSize;
	}

	public Duration getRetrySleep() {
		return this.retrySleep;
	}

	public void setRetrySleep(Duration retrySleep) {
		this.retrySleep = retrySleep;
	}

	public int getMaxRetries() {
		return this.maxRetries;
	}

	public void setMaxRetries(int maxRetries) {
		this.maxRetries = maxRetries;
	}

	public Duration getStepPause() {
		return this.stepPause;
	}

	public void setStepPause(Duration stepPause) {
		this.stepPause = stepPause;
	}

	public String getSchema() {
		return this.schema;
	}

	public void setSchema(String schema) {
		this.schema = schema;
	}

	/**
	 * Check the bound values, so that a bad one stops startup naming its property.
	 * @throws InvalidConfigurationPropertyValueException for the first invalid value
	 */
	@Override
	public void afterPropertiesSet() {
		toBackupOptions();
	}

	/**
	 * Return these properties as the template's default options.
	 * @return the options
	 * @throws InvalidConfigurationPropertyValueException if a value is invalid
	 */
	public BackupOptions toBackupOptions() {
		BackupOptions options = BackupOptions.defaults();
		options = apply("schema", this.schema, options::withSchema);
		options = apply("step-size", this.stepSize, options::withStepSize);
		options = apply("retry-sleep", this.retrySleep, options::withRetrySleep);
		options = apply("max-retries", this.maxRetries, options::withMaxRetries);
		return apply("step-pause", this.stepPause, options::withStepPause);
	}

	private static <T> BackupOptions apply(String property, T value, Function<T, BackupOptions> setter) {
		try {
			return setter.apply(value);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "." + property, value, ex.getMessage());
		}
	}

}

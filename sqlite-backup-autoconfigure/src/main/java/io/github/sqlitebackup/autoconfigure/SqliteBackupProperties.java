package io.github.sqlitebackup.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.scheduling.Trigger;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.scheduling.support.CronTrigger;
import org.springframework.scheduling.support.PeriodicTrigger;

import io.github.sqlitebackup.BackupOptions;
import io.github.sqlitebackup.CopyEngine;
import io.github.sqlitebackup.Verification;
import io.github.sqlitebackup.catalog.BackupNames;
import io.github.sqlitebackup.catalog.RetentionPolicy;
import io.github.sqlitebackup.job.BackupFreshness;

/**
 * Configuration properties of sqlite-backup, prefix {@code sqlite.backup}. Invalid values
 * stop the application at startup with a message that names the property.
 */
@ConfigurationProperties(SqliteBackupProperties.PREFIX)
public class SqliteBackupProperties implements InitializingBean {

	static final String PREFIX = "sqlite.backup";

	/** The prefix of these properties in messages: {@link #PREFIX}, or a database's own. */
	private final String prefix;

	/**
	 * Whether to auto-configure sqlite-backup.
	 */
	private boolean enabled = true;

	/**
	 * Pages copied per sqlite3_backup_step. -1 copies the whole database at once (the
	 * fastest; with the page copy in 4 MiB chunks, with progress and cancellation between
	 * them). A positive size uses the Online Backup API and gives prompt cancellation and,
	 * with step-pause, room for writers.
	 */
	private int stepSize = -1;

	/**
	 * How backups copy the database's pages: page-copy copies a committed state straight
	 * from the database file (and its -wal), about twice as fast; online-backup-api is
	 * SQLite's sqlite3_backup_step, the reference engine. Both give the same bytes.
	 * page-copy applies to database files copied whole (step-size -1); anything else uses
	 * the Online Backup API.
	 */
	private CopyEngine copyEngine = CopyEngine.PAGE_COPY;

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

	/**
	 * How each copy is checked before it is published: none, quick (PRAGMA quick_check) or
	 * full (PRAGMA integrity_check). Every level also checks the page count.
	 */
	private Verification verify = Verification.QUICK;

	/**
	 * Directory of the job's backups and their manifests. Created at startup if missing.
	 */
	private Path directory = Path.of("backups");

	/**
	 * Prefix of backup file names ("<prefix>-<UTC timestamp>.db"). Defaults to the database
	 * file's name without extension.
	 */
	private @Nullable String namePrefix;

	/**
	 * Whether the job skips a run when the database has not changed since the newest
	 * verified backup (judged from the database and WAL files' size, time and header).
	 */
	private boolean skipIfUnchanged;

	/**
	 * How many databases may be backed up at the same time; further backups wait for one
	 * to finish. 1 keeps the copies from competing for the disk.
	 */
	private int maxConcurrentBackups = 1;

	/**
	 * More SQLite databases to back up, by id (the prefix of their backups' names): each
	 * names a DataSource bean (data-source) or an attached schema (schema), and may
	 * override the schedule, retention, verification, step settings, directory and remote
	 * prefix; other values come from sqlite.backup.*.
	 */
	private final Map<String, Database> databases = new LinkedHashMap<>();

	private final Schedule schedule;

	private final Retention retention = new Retention();

	private final Shutdown shutdown = new Shutdown();

	private final Restore restore = new Restore();

	private final Health health = new Health();

	private final Primary primary = new Primary();

	/**
	 * Create the properties with their defaults.
	 */
	public SqliteBackupProperties() {
		this(PREFIX);
	}

	private SqliteBackupProperties(String prefix) {
		this.prefix = prefix;
		this.schedule = new Schedule(prefix);
	}

	private final Endpoint endpoint = new Endpoint();

	/**
	 * Return the prefix of these properties, for messages that name one of them.
	 * @return {@code sqlite.backup}, or {@code sqlite.backup.databases.<id>}
	 */
	String prefix() {
		return this.prefix;
	}

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

	public CopyEngine getCopyEngine() {
		return this.copyEngine;
	}

	public void setCopyEngine(CopyEngine copyEngine) {
		this.copyEngine = copyEngine;
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

	public Verification getVerify() {
		return this.verify;
	}

	public void setVerify(Verification verify) {
		this.verify = verify;
	}

	public Path getDirectory() {
		return this.directory;
	}

	public void setDirectory(Path directory) {
		this.directory = directory;
	}

	public @Nullable String getNamePrefix() {
		return this.namePrefix;
	}

	public void setNamePrefix(@Nullable String namePrefix) {
		this.namePrefix = namePrefix;
	}

	public boolean isSkipIfUnchanged() {
		return this.skipIfUnchanged;
	}

	public void setSkipIfUnchanged(boolean skipIfUnchanged) {
		this.skipIfUnchanged = skipIfUnchanged;
	}

	public int getMaxConcurrentBackups() {
		return this.maxConcurrentBackups;
	}

	public void setMaxConcurrentBackups(int maxConcurrentBackups) {
		this.maxConcurrentBackups = maxConcurrentBackups;
	}

	public Map<String, Database> getDatabases() {
		return this.databases;
	}

	public Primary getPrimary() {
		return this.primary;
	}

	public Schedule getSchedule() {
		return this.schedule;
	}

	public Retention getRetention() {
		return this.retention;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	public Restore getRestore() {
		return this.restore;
	}

	public Health getHealth() {
		return this.health;
	}

	public Endpoint getEndpoint() {
		return this.endpoint;
	}

	/**
	 * Return when the newest good backup counts as stale for the health indicator: older
	 * than {@code health.max-age}; else, for a cron schedule, older than its second most
	 * recent fire time; for a fixed delay, older than twice the delay.
	 * @return the rule, or {@code null} without a max-age or schedule
	 */
	public @Nullable BackupFreshness healthFreshness() {
		if (this.health.maxAge != null) {
			return BackupFreshness.maxAge(this.health.maxAge);
		}
		if (this.schedule.cron != null && CronExpression.isValidExpression(this.schedule.cron)) {
			return BackupFreshness.cron(CronExpression.parse(this.schedule.cron),
					(this.schedule.zone != null) ? this.schedule.zone : ZoneId.systemDefault());
		}
		return (this.schedule.fixedDelay != null) ? BackupFreshness.maxAge(this.schedule.fixedDelay.multipliedBy(2))
				: null;
	}

	/**
	 * Check the bound values, so that a bad one stops startup naming its property.
	 * @throws InvalidConfigurationPropertyValueException for the first invalid value
	 */
	@Override
	public void afterPropertiesSet() {
		validate();
		if (this.maxConcurrentBackups < 1) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + ".max-concurrent-backups",
					this.maxConcurrentBackups, "must be 1 or more");
		}
		this.databases.keySet().forEach((id) -> forDatabase(id).validate());
	}

	/**
	 * Return the settings of a database: its own ({@link #forDatabase(String)}) for one of
	 * {@link #getDatabases()}, else these.
	 * @param databaseId the database's id
	 * @return its settings
	 */
	SqliteBackupProperties of(String databaseId) {
		return this.databases.containsKey(databaseId) ? forDatabase(databaseId) : this;
	}

	/**
	 * Return the settings of one database of {@link #getDatabases()}: its own values, and
	 * these properties' values for what it does not set. Messages about its values name
	 * {@code sqlite.backup.databases.<id>.*}.
	 * @param id the database's id
	 * @return the database's settings; its name prefix is its id
	 * @throws InvalidConfigurationPropertyValueException if the id is not configured or
	 * not a valid name prefix, or the entry names neither a DataSource nor a schema
	 */
	SqliteBackupProperties forDatabase(String id) {
		Database database = this.databases.get(id);
		String databasePrefix = PREFIX + ".databases." + id;
		if (database == null) {
			throw new IllegalArgumentException("no database " + id + " in " + PREFIX + ".databases");
		}
		try {
			BackupNames.checkPrefix(id);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + ".databases", id,
					"the database id is the prefix of its backups' names: " + ex.getMessage());
		}
		if (database.dataSource == null && database.schema == null) {
			throw new InvalidConfigurationPropertyValueException(databasePrefix + ".data-source", null,
					"set " + databasePrefix + ".data-source (a DataSource bean's name), " + databasePrefix
							+ ".schema (a schema attached to the application's DataSource), or both");
		}
		if (database.remotePrefix != null && !isRemotePrefix(database.remotePrefix)) {
			throw new InvalidConfigurationPropertyValueException(databasePrefix + ".remote-prefix",
					database.remotePrefix, "must be one or more path segments of letters, digits, '.', '_' and '-', "
							+ "separated by '/', without '.' or '..' segments");
		}
		SqliteBackupProperties effective = new SqliteBackupProperties(databasePrefix);
		effective.enabled = this.enabled;
		effective.stepSize = (database.stepSize != null) ? database.stepSize : this.stepSize;
		effective.copyEngine = (database.copyEngine != null) ? database.copyEngine : this.copyEngine;
		effective.retrySleep = (database.retrySleep != null) ? database.retrySleep : this.retrySleep;
		effective.maxRetries = (database.maxRetries != null) ? database.maxRetries : this.maxRetries;
		effective.stepPause = (database.stepPause != null) ? database.stepPause : this.stepPause;
		effective.schema = (database.schema != null) ? database.schema : "main";
		effective.verify = (database.verify != null) ? database.verify : this.verify;
		effective.directory = (database.directory != null) ? database.directory : this.directory;
		effective.namePrefix = id;
		effective.skipIfUnchanged = (database.skipIfUnchanged != null) ? database.skipIfUnchanged
				: this.skipIfUnchanged;
		effective.maxConcurrentBackups = this.maxConcurrentBackups;
		(database.schedule.isSet() ? database.schedule : this.schedule).copyTo(effective.schedule);
		RetentionOverrides overrides = database.retention;
		effective.retention.keepLast = (overrides.getKeepLast() != null) ? overrides.getKeepLast()
				: this.retention.keepLast;
		effective.retention.keepSafety = (overrides.getKeepSafety() != null) ? overrides.getKeepSafety()
				: this.retention.keepSafety;
		effective.retention.maxAge = (overrides.getMaxAge() != null) ? overrides.getMaxAge() : this.retention.maxAge;
		effective.health.maxAge = (database.health.maxAge != null) ? database.health.maxAge : this.health.maxAge;
		effective.restore.enabled = this.restore.enabled;
		effective.restore.onStartup = this.restore.onStartup;
		effective.restore.onStartupVerify = this.restore.onStartupVerify;
		effective.endpoint.responseTimeout = this.endpoint.responseTimeout;
		effective.shutdown.timeout = this.shutdown.timeout;
		effective.shutdown.backup = this.shutdown.backup;
		return effective;
	}

	private static boolean isRemotePrefix(String prefix) {
		return prefix.matches("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*")
				&& Arrays.stream(prefix.split("/")).noneMatch((segment) -> segment.equals(".") || segment.equals(".."));
	}

	private void validate() {
		toBackupOptions();
		// keep-last 0 is checked against the off-site storage when the job is created
		toRetentionPolicy(true);
		this.schedule.toTrigger();
		if (this.namePrefix != null) {
			apply("name-prefix", this.namePrefix, BackupNames::new);
		}
		if (this.health.maxAge != null && (this.health.maxAge.isNegative() || this.health.maxAge.isZero())) {
			throw new InvalidConfigurationPropertyValueException(this.prefix + ".health.max-age", this.health.maxAge,
					"must be positive");
		}
		if (this.endpoint.responseTimeout.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(this.prefix + ".endpoint.response-timeout",
					this.endpoint.responseTimeout, "must not be negative");
		}
		if (this.shutdown.timeout.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(this.prefix + ".shutdown.timeout", this.shutdown.timeout,
					"must not be negative");
		}
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
		options = apply("step-pause", this.stepPause, options::withStepPause);
		return options.withVerification(this.verify).withCopyEngine(this.copyEngine);
	}

	/**
	 * Return the retention properties as a policy.
	 * @param offsite whether backups are also kept off-site, where keep-last 0 (keep
	 * backups only off-site) is allowed
	 * @return the policy
	 * @throws InvalidConfigurationPropertyValueException if a value is invalid
	 */
	public RetentionPolicy toRetentionPolicy(boolean offsite) {
		int keepLast = this.retention.keepLast;
		if (keepLast == 0 && !offsite) {
			throw new InvalidConfigurationPropertyValueException(this.prefix + ".retention.keep-last", 0,
					"0 keeps backups only off-site, but there is no off-site storage: set " + SqliteBackupRemoteProperties.PREFIX + ".url");
		}
		if (keepLast != 0) {
			apply("retention.keep-last", keepLast, (value) -> RetentionPolicy.checkKeep("keep-last", value));
		}
		int keepSafety = apply("retention.keep-safety", this.retention.keepSafety,
				(value) -> RetentionPolicy.checkKeep("keep-safety", value));
		Duration maxAge = apply("retention.max-age", this.retention.maxAge, RetentionPolicy::checkMaxAge);
		return new RetentionPolicy(keepLast, maxAge, keepSafety);
	}

	private <T, R> R apply(String property, T value, Function<T, R> setter) {
		try {
			return setter.apply(value);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(this.prefix + "." + property, value, ex.getMessage());
		}
	}

	/**
	 * The application's single or primary DataSource.
	 */
	public static class Primary {

		/**
		 * Whether to back up the application's single or primary DataSource. Turn it off
		 * when that DataSource is not SQLite and sqlite.backup.databases names the SQLite
		 * ones.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * One more database to back up, {@code sqlite.backup.databases.<id>}. Values left unset
	 * come from {@code sqlite.backup.*}.
	 */
	public static class Database {

		/**
		 * Name of the DataSource bean of the database. Defaults to the application's
		 * single or primary DataSource (for an attached schema).
		 */
		private @Nullable String dataSource;

		/**
		 * Schema to back up: "main", or a database attached to the DataSource's
		 * connections.
		 */
		private @Nullable String schema;

		/**
		 * Directory of this database's backups and manifests.
		 */
		private @Nullable Path directory;

		/**
		 * Prefix of this database's backups in the remote storage, below
		 * sqlite.backup.remote.url. Defaults to the database's id.
		 */
		private @Nullable String remotePrefix;

		/**
		 * Pages copied per sqlite3_backup_step.
		 */
		private @Nullable Integer stepSize;

		/**
		 * How backups copy the database's pages.
		 */
		private @Nullable CopyEngine copyEngine;

		/**
		 * Wait after SQLITE_BUSY or SQLITE_LOCKED before retrying a step.
		 */
		@DurationUnit(ChronoUnit.MILLIS)
		private @Nullable Duration retrySleep;

		/**
		 * Busy or locked retries of one step before the backup fails.
		 */
		private @Nullable Integer maxRetries;

		/**
		 * Pause after each step.
		 */
		@DurationUnit(ChronoUnit.MILLIS)
		private @Nullable Duration stepPause;

		/**
		 * How each copy is checked before it is published: none, quick or full.
		 */
		private @Nullable Verification verify;

		/**
		 * Whether the job skips a run when the database has not changed.
		 */
		private @Nullable Boolean skipIfUnchanged;

		private final Schedule schedule = new Schedule();

		private final RetentionOverrides retention = new RetentionOverrides();

		private final Health health = new Health();

		public @Nullable String getDataSource() {
			return this.dataSource;
		}

		public void setDataSource(@Nullable String dataSource) {
			this.dataSource = dataSource;
		}

		public @Nullable String getSchema() {
			return this.schema;
		}

		public void setSchema(@Nullable String schema) {
			this.schema = schema;
		}

		public @Nullable Path getDirectory() {
			return this.directory;
		}

		public void setDirectory(@Nullable Path directory) {
			this.directory = directory;
		}

		public @Nullable String getRemotePrefix() {
			return this.remotePrefix;
		}

		public void setRemotePrefix(@Nullable String remotePrefix) {
			this.remotePrefix = remotePrefix;
		}

		public @Nullable Integer getStepSize() {
			return this.stepSize;
		}

		public void setStepSize(@Nullable Integer stepSize) {
			this.stepSize = stepSize;
		}

		public @Nullable CopyEngine getCopyEngine() {
			return this.copyEngine;
		}

		public void setCopyEngine(@Nullable CopyEngine copyEngine) {
			this.copyEngine = copyEngine;
		}

		public @Nullable Duration getRetrySleep() {
			return this.retrySleep;
		}

		public void setRetrySleep(@Nullable Duration retrySleep) {
			this.retrySleep = retrySleep;
		}

		public @Nullable Integer getMaxRetries() {
			return this.maxRetries;
		}

		public void setMaxRetries(@Nullable Integer maxRetries) {
			this.maxRetries = maxRetries;
		}

		public @Nullable Duration getStepPause() {
			return this.stepPause;
		}

		public void setStepPause(@Nullable Duration stepPause) {
			this.stepPause = stepPause;
		}

		public @Nullable Verification getVerify() {
			return this.verify;
		}

		public void setVerify(@Nullable Verification verify) {
			this.verify = verify;
		}

		public @Nullable Boolean getSkipIfUnchanged() {
			return this.skipIfUnchanged;
		}

		public void setSkipIfUnchanged(@Nullable Boolean skipIfUnchanged) {
			this.skipIfUnchanged = skipIfUnchanged;
		}

		public Schedule getSchedule() {
			return this.schedule;
		}

		public RetentionOverrides getRetention() {
			return this.retention;
		}

		public Health getHealth() {
			return this.health;
		}

	}

	/**
	 * When the backup job runs. Set either a cron expression or a fixed delay; with neither,
	 * there is no scheduled job (backups on demand still work).
	 */
	public static class Schedule {

		/**
		 * Cron expression of the backup job, e.g. "0 0 * * * *" for every hour.
		 */
		private @Nullable String cron;

		/**
		 * Time zone of the cron expression. Defaults to the JVM's time zone.
		 */
		private @Nullable ZoneId zone;

		/**
		 * Delay between the end of one backup and the start of the next. Unitless values are
		 * milliseconds.
		 */
		@DurationUnit(ChronoUnit.MILLIS)
		private @Nullable Duration fixedDelay;

		/**
		 * Delay before the first backup with fixed-delay. Unitless values are milliseconds.
		 */
		@DurationUnit(ChronoUnit.MILLIS)
		private Duration initialDelay = Duration.ZERO;

		private final String prefix;

		/**
		 * Create a schedule without cron expression or delay.
		 */
		public Schedule() {
			this(PREFIX);
		}

		Schedule(String prefix) {
			this.prefix = prefix;
		}

		/**
		 * Whether a cron expression or a fixed delay is set.
		 * @return whether this schedule is set
		 */
		boolean isSet() {
			return this.cron != null || this.fixedDelay != null;
		}

		private void copyTo(Schedule other) {
			other.cron = this.cron;
			other.zone = this.zone;
			other.fixedDelay = this.fixedDelay;
			other.initialDelay = this.initialDelay;
		}

		public @Nullable String getCron() {
			return this.cron;
		}

		public void setCron(@Nullable String cron) {
			this.cron = cron;
		}

		public @Nullable ZoneId getZone() {
			return this.zone;
		}

		public void setZone(@Nullable ZoneId zone) {
			this.zone = zone;
		}

		public @Nullable Duration getFixedDelay() {
			return this.fixedDelay;
		}

		public void setFixedDelay(@Nullable Duration fixedDelay) {
			this.fixedDelay = fixedDelay;
		}

		public Duration getInitialDelay() {
			return this.initialDelay;
		}

		public void setInitialDelay(Duration initialDelay) {
			this.initialDelay = initialDelay;
		}

		/**
		 * Describe the schedule for people.
		 * @return the description
		 */
		public String describe() {
			if (this.cron != null) {
				return "cron '" + this.cron + "' in " + ((this.zone != null) ? this.zone : ZoneId.systemDefault());
			}
			if (this.fixedDelay != null) {
				return "every " + this.fixedDelay + " after the previous backup, first after " + this.initialDelay;
			}
			return "none";
		}

		/**
		 * Return the schedule as a trigger.
		 * @return the trigger, or {@code null} when no schedule is configured
		 * @throws InvalidConfigurationPropertyValueException if the schedule is invalid
		 */
		public @Nullable Trigger toTrigger() {
			if (this.initialDelay.isNegative()) {
				throw new InvalidConfigurationPropertyValueException(this.prefix + ".schedule.initial-delay",
						this.initialDelay, "must not be negative");
			}
			if (this.cron != null && this.fixedDelay != null) {
				throw new InvalidConfigurationPropertyValueException(this.prefix + ".schedule.cron", this.cron,
						"set either " + this.prefix + ".schedule.cron or " + this.prefix + ".schedule.fixed-delay, not both");
			}
			if (this.cron != null) {
				if (!CronExpression.isValidExpression(this.cron)) {
					throw new InvalidConfigurationPropertyValueException(this.prefix + ".schedule.cron", this.cron,
							"not a cron expression of six fields (second minute hour day month weekday)");
				}
				return new CronTrigger(this.cron, (this.zone != null) ? this.zone : ZoneId.systemDefault());
			}
			if (this.fixedDelay != null) {
				if (this.fixedDelay.isNegative() || this.fixedDelay.isZero()) {
					throw new InvalidConfigurationPropertyValueException(this.prefix + ".schedule.fixed-delay",
							this.fixedDelay, "must be positive");
				}
				PeriodicTrigger trigger = new PeriodicTrigger(this.fixedDelay);
				trigger.setInitialDelay(this.initialDelay);
				return trigger;
			}
			return null;
		}

	}

	/**
	 * Which backups the job keeps. After each successful backup, backups beyond the newest
	 * keep-last and backups older than max-age are deleted, except the newest verified one.
	 */
	public static class Retention {

		/**
		 * How many of the newest regular backups to keep at most. 0 keeps backups only
		 * off-site (each is deleted locally once uploaded); it needs sqlite.backup.remote.
		 */
		private int keepLast = 24;

		/**
		 * How many of the newest safety backups (taken before each restore) to keep at most;
		 * they do not count against keep-last.
		 */
		private int keepSafety = 3;

		/**
		 * Age after which a backup is deleted.
		 */
		private Duration maxAge = Duration.ofDays(30);

		public int getKeepLast() {
			return this.keepLast;
		}

		public void setKeepLast(int keepLast) {
			this.keepLast = keepLast;
		}

		public Duration getMaxAge() {
			return this.maxAge;
		}

		public int getKeepSafety() {
			return this.keepSafety;
		}

		public void setKeepSafety(int keepSafety) {
			this.keepSafety = keepSafety;
		}

		public void setMaxAge(Duration maxAge) {
			this.maxAge = maxAge;
		}

	}

	/**
	 * Restores through the actuator endpoint.
	 */
	public static class Restore {

		/**
		 * Whether POST /actuator/sqlitebackup/{name}/restore may replace the live database
		 * with a backup.
		 */
		private boolean enabled;

		/**
		 * Whether to restore a database whose file is missing (absent or empty) at
		 * start-up from its newest verified backup, before anything opens it.
		 */
		private OnStartup onStartup = OnStartup.NEVER;

		/**
		 * How a backup restored on start-up is checked before it becomes the database:
		 * none, quick (quick_check) or full (integrity_check).
		 */
		private Verification onStartupVerify = Verification.FULL;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public OnStartup getOnStartup() {
			return this.onStartup;
		}

		public void setOnStartup(OnStartup onStartup) {
			this.onStartup = onStartup;
		}

		public Verification getOnStartupVerify() {
			return this.onStartupVerify;
		}

		public void setOnStartupVerify(Verification onStartupVerify) {
			this.onStartupVerify = onStartupVerify;
		}

	}

	/**
	 * Whether a database is restored when the application starts.
	 */
	public enum OnStartup {

		/** Never: a missing database file starts empty. */
		NEVER,

		/** When the database file is absent or empty, from its newest verified backup. */
		IF_MISSING

	}

	/**
	 * The sqliteBackup health indicator.
	 */
	public static class Health {

		/**
		 * Age of the newest verified backup beyond which health is DOWN. Defaults to twice
		 * the schedule's interval; without a schedule, only failures make it DOWN.
		 */
		private @Nullable Duration maxAge;

		public @Nullable Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(@Nullable Duration maxAge) {
			this.maxAge = maxAge;
		}

	}

	/**
	 * The sqlitebackup actuator endpoint.
	 */
	public static class Endpoint {

		/**
		 * How long POST /actuator/sqlitebackup waits for the backup before it answers 202
		 * Accepted and lets the backup go on.
		 */
		private Duration responseTimeout = Duration.ofSeconds(30);

		public Duration getResponseTimeout() {
			return this.responseTimeout;
		}

		public void setResponseTimeout(Duration responseTimeout) {
			this.responseTimeout = responseTimeout;
		}

	}

	/**
	 * What the job does when the application shuts down.
	 */
	public static class Shutdown {

		/**
		 * How long a running backup may take to finish at shutdown before it is cancelled
		 * (a cancelled backup publishes nothing).
		 */
		private Duration timeout = Duration.ofSeconds(30);

		/**
		 * Whether to take a last backup when the application shuts down.
		 */
		private boolean backup;

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public boolean isBackup() {
			return this.backup;
		}

		public void setBackup(boolean backup) {
			this.backup = backup;
		}

	}

}

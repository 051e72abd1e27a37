package io.github.sqlitebackup.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Continuous replication of every backed-up database file: committed transactions of its
 * write-ahead log go to {@code <directory>/replication-<id>} and, with
 * {@code sqlite.backup.remote.url}, on to {@code <remote prefix>/replication}.
 */
@ConfigurationProperties(SqliteBackupReplicationProperties.PREFIX)
public class SqliteBackupReplicationProperties {

	/** The properties' prefix. */
	public static final String PREFIX = "sqlite.backup.replication";

	/**
	 * Whether to replicate committed transactions continuously. The databases must be in
	 * WAL mode.
	 */
	private boolean enabled;

	/**
	 * How often committed transactions are shipped: the most a crash loses.
	 */
	private Duration syncInterval = Duration.ofSeconds(1);

	/**
	 * How often a snapshot of the whole database is stored (only if it changed); a
	 * restore reads the newest snapshot and the transactions after it.
	 */
	private Duration snapshotInterval = Duration.ofDays(1);

	/**
	 * How far back a point-in-time restore can go.
	 */
	private Duration retention = Duration.ofDays(7);

	/**
	 * Size of the write-ahead log at which replication checkpoints it (writers wait while
	 * the rest of the log is read and checkpointed).
	 */
	private DataSize checkpointSize = DataSize.ofMegabytes(4);

	/**
	 * How much may wait in the local replica directory while the remote storage cannot be
	 * reached; beyond it the waiting transactions are dropped and a new snapshot starts
	 * over once the storage is back.
	 */
	private DataSize localMaxSize = DataSize.ofGigabytes(1);

	/**
	 * How long the storage may go without receiving the database's state before the
	 * sqliteReplication health is DOWN.
	 */
	private Duration maxLag = Duration.ofMinutes(1);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getSyncInterval() {
		return this.syncInterval;
	}

	public void setSyncInterval(Duration syncInterval) {
		this.syncInterval = syncInterval;
	}

	public Duration getSnapshotInterval() {
		return this.snapshotInterval;
	}

	public void setSnapshotInterval(Duration snapshotInterval) {
		this.snapshotInterval = snapshotInterval;
	}

	public Duration getRetention() {
		return this.retention;
	}

	public void setRetention(Duration retention) {
		this.retention = retention;
	}

	public DataSize getCheckpointSize() {
		return this.checkpointSize;
	}

	public void setCheckpointSize(DataSize checkpointSize) {
		this.checkpointSize = checkpointSize;
	}

	public DataSize getLocalMaxSize() {
		return this.localMaxSize;
	}

	public void setLocalMaxSize(DataSize localMaxSize) {
		this.localMaxSize = localMaxSize;
	}

	public Duration getMaxLag() {
		return this.maxLag;
	}

	public void setMaxLag(Duration maxLag) {
		this.maxLag = maxLag;
	}

	/**
	 * Check the values.
	 * @throws InvalidConfigurationPropertyValueException naming the first bad one
	 */
	void validate() {
		positive("sync-interval", this.syncInterval);
		positive("snapshot-interval", this.snapshotInterval);
		positive("retention", this.retention);
		positive("max-lag", this.maxLag);
		if (this.checkpointSize.toBytes() < 64 * 1024) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + ".checkpoint-size", this.checkpointSize,
					"must be at least 64KB");
		}
		if (this.localMaxSize.toBytes() <= 0) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + ".local-max-size", this.localMaxSize,
					"must be positive");
		}
	}

	private static void positive(String name, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "." + name, value, "must be positive");
		}
	}

}

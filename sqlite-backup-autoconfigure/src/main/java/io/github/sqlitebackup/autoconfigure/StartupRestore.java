package io.github.sqlitebackup.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

import io.github.sqlitebackup.BackupVerificationException;
import io.github.sqlitebackup.catalog.BackupCatalog;
import io.github.sqlitebackup.catalog.BackupCatalog.CommitOrder;
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.catalog.BackupNames;
import io.github.sqlitebackup.catalog.DatabaseIdentity;
import io.github.sqlitebackup.engine.OfflineRestore;
import io.github.sqlitebackup.offsite.BackupDecoder;
import io.github.sqlitebackup.offsite.BackupNotReadableException;
import io.github.sqlitebackup.recovery.BackupAge;
import io.github.sqlitebackup.recovery.BackupCopy;
import io.github.sqlitebackup.recovery.BackupLocation;
import io.github.sqlitebackup.recovery.RecoveredBackup;
import io.github.sqlitebackup.recovery.Recovery;
import io.github.sqlitebackup.recovery.RecoveryFailedException;
import io.github.sqlitebackup.replication.ReplicaRestore;
import io.github.sqlitebackup.storage.BackupStorage;
import io.github.sqlitebackup.storage.LocalDirectoryStorage;

/**
 * Restores a backed-up database whose file is missing when its DataSource bean is created,
 * before the DataSource is handed to anything that could open it (the pool's users,
 * {@code schema.sql}, Flyway, Liquibase, JPA): {@code sqlite.backup.restore.on-startup=if-missing}.
 * The newest verified backup in the local directory or the remote storage is restored; a
 * damaged one falls back to the next; start-up fails when backups exist but none can be
 * restored, or when a place that may hold newer backups cannot be listed.
 */
final class StartupRestore {

	private static final Log logger = LogFactory.getLog(StartupRestore.class);

	private static final boolean HIKARI_PRESENT = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
			StartupRestore.class.getClassLoader());

	private final SqliteBackupProperties properties;

	private final ConfigurableListableBeanFactory beanFactory;

	private final RemoteLocations remote;

	private final Clock clock;

	private final boolean replication;

	StartupRestore(SqliteBackupProperties properties, ConfigurableListableBeanFactory beanFactory,
			RemoteLocations remote, Clock clock, boolean replication) {
		this.properties = properties;
		this.beanFactory = beanFactory;
		this.remote = remote;
		this.clock = clock;
		this.replication = replication;
		properties.getDatabases().forEach((id, database) -> {
			if (database.getSchema() != null) {
				logger.info("Database '" + id + "' is the attached schema '" + database.getSchema() + "': "
						+ SqliteBackupProperties.PREFIX + ".restore.on-startup does not restore attached schemas; "
						+ "restore it through the endpoint or the command-line tool");
			}
		});
	}

	/**
	 * Restore the database of a DataSource bean if it is backed up and its file is
	 * missing.
	 * @param beanName the bean's name
	 * @param dataSource the bean, not yet handed to anything
	 */
	void restoreIfMissing(String beanName, DataSource dataSource) {
		Target database = databaseOf(beanName);
		if (database == null) {
			return;
		}
		Optional<Path> file = SqliteDataSources.databaseFile(dataSource);
		if (file.isEmpty()) {
			if (!Boolean.FALSE.equals(SqliteDataSources.isSqlite(dataSource))) {
				logger.warn("Cannot tell which file DataSource '" + beanName + "' opens without connecting to it, so "
						+ SqliteBackupProperties.PREFIX + ".restore.on-startup cannot restore it; give it a "
						+ "jdbc:sqlite: file URL (HikariCP, SQLiteDataSource or Spring's driver-based DataSources)");
			}
			return;
		}
		if (!OfflineRestore.isMissing(file.get())) {
			logger.debug("Database file " + file.get() + " exists; nothing to restore on start-up");
			return;
		}
		restore(database, file.get(), beanName);
		if (HIKARI_PRESENT) {
			Hikari.evictConnectionsOpenedBefore(dataSource, beanName);
		}
	}

	private void restore(Target database, Path file, String beanName) {
		SqliteBackupProperties properties = database.properties();
		String id = (properties.getNamePrefix() != null) ? properties.getNamePrefix() : BackupNames.defaultPrefix(file);
		String remotePath = (database.remotePrefix() != null) ? database.remotePrefix() : id;
		Recovery recovery = new Recovery(locations(properties, remotePath, id, file));
		String where = String.join(" and ",
				recovery.locations().stream().map(BackupLocation::description).toList());
		logger.info("Database file " + file + " (DataSource '" + beanName + "') is missing; looking for backups of "
				+ "database '" + id + "' in " + (where.isEmpty() ? "no place (no backup directory yet, no remote storage)" : where));
		long start = System.nanoTime();
		if (this.replication && restoreReplica(properties, remotePath, id, file, recovery)) {
			return;
		}
		Optional<RecoveredBackup> restored = recovery.restoreNewest(id, file.toString(), file,
				this.properties.getRestore().getOnStartupVerify(), OfflineRestore.Mode.IF_MISSING, new ProgressLog());
		if (restored.isEmpty()) {
			logger.warn("No verified backup of database '" + id + "' in " + (where.isEmpty() ? "any place" : where)
					+ "; the application starts with an empty database " + file);
			return;
		}
		log(restored.get(), id, Duration.ofNanos(System.nanoTime() - start));
	}

	private void log(RecoveredBackup restored, String id, Duration took) {
		BackupManifest backup = restored.copy().backup();
		OfflineRestore.Result result = restored.result();
		String check = this.properties.getRestore().getOnStartupVerify().pragma();
		logger.info("Restored database '" + id + "' (" + result.database() + ") from backup " + restored.copy().describe()
				+ ", made " + backup.created() + " (" + BackupAge.describe(backup.created(), this.clock.instant())
				+ ": writes after it are lost)"
				+ ((backup.source().equals(result.database().toString())) ? ""
						: ", a backup of " + backup.source() + " on another machine or path")
				+ "; " + result.bytes() + " bytes in " + took.toMillis() + " ms (" + result.copy().toMillis()
				+ " ms to copy" + ((check != null) ? ", " + result.check().toMillis() + " ms for " + check : "") + ")"
				+ (restored.skipped().isEmpty() ? "" : "; skipped newer copies: " + String.join("; ", restored.skipped())));
	}

	/**
	 * Restore the latest replicated state when it is newer than the newest backup.
	 * @return whether it was restored; if not, the backups are tried
	 */
	private boolean restoreReplica(SqliteBackupProperties properties, String remotePath, String id, Path file,
			Recovery recovery) {
		RemoteLocation newest = null;
		Instant newestState = null;
		for (RemoteLocation place : replicaPlaces(properties, remotePath, id)) {
			Optional<Instant> latest;
			try {
				latest = ReplicaRestore.latest(place.storage());
			}
			catch (IOException ex) {
				throw new RecoveryFailedException("Cannot list the replication of database '" + id + "' in "
						+ place.storage().description() + ": " + ex.getMessage()
						+ ". Nothing was restored: an older backup could hide newer data there.");
			}
			if (latest.isPresent() && (newestState == null || latest.get().isAfter(newestState))) {
				newest = place;
				newestState = latest.get();
			}
		}
		if (newest == null) {
			return false;
		}
		Optional<Instant> newestBackup = recovery.copiesOf(id, file.toString())
			.stream()
			.findFirst()
			.map((copy) -> copy.backup().created());
		if (newestBackup.isPresent() && !newestState.isAfter(newestBackup.get())) {
			return false;
		}
		try {
			long start = System.nanoTime();
			ReplicaRestore.Restored restored = ReplicaRestore.restore(newest.storage(), newest.decoder(), file, null,
					new OfflineRestore.Settings(this.properties.getRestore().getOnStartupVerify(),
							OfflineRestore.Mode.IF_MISSING, true));
			logger.info("Restored database '" + id + "' (" + file + ") from its replication in "
					+ newest.storage().description() + ": transaction " + restored.transaction() + " of generation "
					+ restored.generation() + ", committed by " + restored.committed() + " ("
					+ BackupAge.describe(restored.committed(), this.clock.instant()) + ": writes after it are lost); "
					+ restored.result().bytes() + " bytes in " + Duration.ofNanos(System.nanoTime() - start).toMillis()
					+ " ms");
			return true;
		}
		catch (IOException | BackupNotReadableException | BackupVerificationException ex) {
			logger.warn("Cannot restore database '" + id + "' from its replication in " + newest.storage().description()
					+ " (" + ex.getMessage() + "); trying its backups");
			return false;
		}
	}

	/** The replica directory and the replication in the bucket, where they exist. */
	private List<RemoteLocation> replicaPlaces(SqliteBackupProperties database, String remotePath, String id) {
		List<RemoteLocation> places = new ArrayList<>();
		Path directory = database.getDirectory().toAbsolutePath().normalize().resolve("replication-" + id);
		if (Files.isDirectory(directory)) {
			places.add(new RemoteLocation(LocalDirectoryStorage.open(directory), new BackupDecoder(List.of())));
		}
		RemoteLocation remote = this.remote.of(remotePath + "/replication");
		if (remote != null) {
			places.add(remote);
		}
		return places;
	}

	private List<BackupLocation> locations(SqliteBackupProperties database, String remotePath, String id, Path file) {
		List<BackupLocation> locations = new ArrayList<>();
		Path directory = database.getDirectory().toAbsolutePath().normalize();
		DatabaseIdentity identity = new DatabaseIdentity(id, file.toString());
		if (Files.isDirectory(directory)) {
			locations.add(new BackupLocation(new BackupCatalog(new LocalDirectoryStorage(directory), identity),
					new BackupDecoder(List.of())));
		}
		RemoteLocation location = this.remote.of(remotePath);
		if (location != null) {
			locations.add(new BackupLocation(
					new BackupCatalog(location.storage(), identity, CommitOrder.MANIFEST_LAST), location.decoder()));
		}
		return locations;
	}

	private @Nullable Target databaseOf(String beanName) {
		for (Map.Entry<String, SqliteBackupProperties.Database> entry : this.properties.getDatabases().entrySet()) {
			SqliteBackupProperties.Database database = entry.getValue();
			if (beanName.equals(database.getDataSource()) && database.getSchema() == null) {
				return new Target(this.properties.forDatabase(entry.getKey()), database.getRemotePrefix());
			}
		}
		return (this.properties.getPrimary().isEnabled() && isPrimary(beanName)) ? new Target(this.properties, null)
				: null;
	}

	private boolean isPrimary(String beanName) {
		String[] names = this.beanFactory.getBeanNamesForType(DataSource.class, true, false);
		if (names.length == 1) {
			return names[0].equals(beanName);
		}
		if (!this.beanFactory.containsBeanDefinition(beanName)) {
			return false;
		}
		BeanDefinition definition = this.beanFactory.getBeanDefinition(beanName);
		return definition.isPrimary();
	}

	/**
	 * The remote storage and decoder of one database's backups, or {@code null} without
	 * remote storage.
	 */
	@FunctionalInterface
	interface RemoteLocations {

		@Nullable RemoteLocation of(String remotePath);

	}

	record RemoteLocation(BackupStorage storage, BackupDecoder decoder) {
	}

	/** A backed-up database: its effective properties and its remote prefix, if set. */
	private record Target(SqliteBackupProperties properties, @Nullable String remotePrefix) {
	}

	/** Logs a long restore's progress in quarters. */
	private static final class ProgressLog implements Recovery.Progress {

		private long reported;

		@Override
		public void written(BackupCopy copy, long bytes) {
			long total = copy.backup().bytes();
			long quarter = Math.max(total / 4, 64L * 1024 * 1024);
			if (bytes < this.reported) {
				this.reported = 0;
			}
			if (bytes - this.reported >= quarter && bytes < total) {
				this.reported = bytes;
				logger.info("Restoring " + copy.describe() + ": " + (bytes * 100 / Math.max(total, 1)) + "% ("
						+ bytes + " of " + total + " bytes)");
			}
		}

	}

	/** Kept apart so that HikariCP's classes load only when HikariCP is present. */
	private static final class Hikari {

		static void evictConnectionsOpenedBefore(DataSource dataSource, String beanName) {
			if (dataSource instanceof HikariDataSource hikari && hikari.isRunning()
					&& hikari.getHikariPoolMXBean() != null) {
				hikari.getHikariPoolMXBean().softEvictConnections();
				logger.info("DataSource '" + beanName + "' had opened connections to the missing file before the "
						+ "restore; they were closed so that new ones open the restored database");
			}
		}

	}

}

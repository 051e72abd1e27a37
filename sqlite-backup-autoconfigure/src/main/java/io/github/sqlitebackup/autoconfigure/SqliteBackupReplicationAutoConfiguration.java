package io.github.sqlitebackup.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ResourceLoader;

import io.github.sqlitebackup.DatabaseInfo;
import io.github.sqlitebackup.JournalMode;
import io.github.sqlitebackup.job.BackupDatabases;
import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.offsite.BackupDecoder;
import io.github.sqlitebackup.offsite.StoredForm;
import io.github.sqlitebackup.replication.ReplicatedDatabases;
import io.github.sqlitebackup.replication.Replication;
import io.github.sqlitebackup.replication.WalReplicator;
import io.github.sqlitebackup.storage.BackupStorage;
import io.github.sqlitebackup.storage.LocalDirectoryStorage;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * of continuous replication ({@code sqlite.backup.replication.enabled=true}): every database
 * that is backed up from its own file (not an attached schema) ships its committed
 * transactions to a replica directory beside its backups and, with
 * {@code sqlite.backup.remote.url}, on to the bucket.
 */
@AutoConfiguration(after = SqliteBackupAutoConfiguration.class)
@ConditionalOnClass(name = "org.sqlite.SQLiteConnection")
@ConditionalOnBooleanProperty(name = "sqlite.backup.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = SqliteBackupReplicationProperties.PREFIX + ".enabled")
@ConditionalOnBean(BackupDatabases.class)
@EnableConfigurationProperties(SqliteBackupReplicationProperties.class)
public final class SqliteBackupReplicationAutoConfiguration {

	private static final Log logger = LogFactory.getLog(SqliteBackupReplicationAutoConfiguration.class);

	private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(5);

	@Bean
	@ConditionalOnMissingBean
	ReplicatedDatabases sqliteBackupReplicatedDatabases(BackupDatabases databases,
			SqliteBackupReplicationProperties replication, SqliteBackupProperties properties,
			SqliteBackupRemoteProperties remote, ObjectProvider<BackupStorage> applicationStorage,
			ObjectProvider<RemoteStorageFactory> s3, ObjectProvider<Clock> clock, ResourceLoader resourceLoader) {
		replication.validate();
		if (applicationStorage.getIfUnique() != null) {
			logger.warn("Replication stays in the local replica directories: the application's own BackupStorage bean "
					+ "has no place for replication objects; set " + SqliteBackupRemoteProperties.PREFIX
					+ ".url to replicate to a bucket");
		}
		StoredForm form = OffsiteSetup.storedForm(remote, resourceLoader.getClassLoader());
		BackupDecoder decoder = OffsiteSetup.decoder(remote, resourceLoader.getClassLoader());
		Map<String, Replication> replications = new LinkedHashMap<>();
		for (BackupJob job : databases.jobs()) {
			String id = job.databaseId();
			SqliteBackupProperties.Database entry = properties.getDatabases().get(id);
			DatabaseInfo database = job.database();
			if ((entry != null && entry.getSchema() != null) || database.file() == null) {
				logger.info("Database '" + id + "' (" + database.description() + ") is not replicated: replication "
						+ "follows the write-ahead log of a database file opened through its own DataSource");
				continue;
			}
			if (database.journalMode() != JournalMode.WAL) {
				throw new InvalidConfigurationPropertyValueException(SqliteBackupReplicationProperties.PREFIX
						+ ".enabled", true, "database '" + id + "' (" + database.file() + ") is in journal mode "
								+ database.journalMode().name().toLowerCase(java.util.Locale.ROOT) + ", and replication reads the "
								+ "write-ahead log: set journal_mode=WAL on its connections (for HikariCP, "
								+ "spring.datasource.hikari.data-source-properties.journal_mode=WAL)");
			}
			String remotePath = ((entry != null && entry.getRemotePrefix() != null) ? entry.getRemotePrefix() : id)
					+ "/replication";
			BackupStorage remoteStorage = (remote.getUrl() != null && applicationStorage.getIfUnique() == null)
					? DatabaseSetup.remoteStorage(remote, null, s3.getIfAvailable(), remotePath) : null;
			replications.put(id, replication(id, database.file(), properties.of(id).getDirectory(), remoteStorage,
					form, decoder, replication, clock.getIfAvailable(Clock::systemUTC)));
		}
		return new ReplicatedDatabases(replications);
	}

	private static Replication replication(String id, Path file, Path backupDirectory,
			@Nullable BackupStorage remoteStorage, StoredForm form, BackupDecoder decoder,
			SqliteBackupReplicationProperties properties, Clock clock) {
		Path directory = backupDirectory.toAbsolutePath().normalize().resolve("replication-" + id);
		try {
			Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new InvalidConfigurationPropertyValueException(SqliteBackupProperties.PREFIX + ".directory",
					backupDirectory, "cannot create the replica directory " + directory + ": " + ex);
		}
		LocalDirectoryStorage local = LocalDirectoryStorage.open(directory);
		WalReplicator replicator = new WalReplicator(file, local, directory, clock,
				new WalReplicator.Settings(properties.getCheckpointSize().toBytes(), LOCK_TIMEOUT));
		Replication.Settings settings = new Replication.Settings(properties.getSyncInterval(),
				properties.getSnapshotInterval(), properties.getRetention());
		logger.info("Database '" + id + "' (" + file + ") is replicated every " + properties.getSyncInterval() + " to "
				+ local.description() + ((remoteStorage != null) ? " and " + remoteStorage.description() : ""));
		return Replication.of(replicator, local, directory, remoteStorage, form, decoder,
				properties.getLocalMaxSize().toBytes(),
				clock, settings, "sqlite-backup-replication-" + id);
	}

}

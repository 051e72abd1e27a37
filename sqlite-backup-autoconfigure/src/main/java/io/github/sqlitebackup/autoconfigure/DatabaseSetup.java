package io.github.sqlitebackup.autoconfigure;

import java.time.Clock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ApplicationEventPublisher;

import io.github.sqlitebackup.DatabaseInfo;
import io.github.sqlitebackup.SqliteBackupException;
import io.github.sqlitebackup.SqliteBackupTemplate;
import io.github.sqlitebackup.catalog.BackupCatalog;
import io.github.sqlitebackup.catalog.BackupCatalog.CommitOrder;
import io.github.sqlitebackup.catalog.BackupNames;
import io.github.sqlitebackup.catalog.DatabaseIdentity;
import io.github.sqlitebackup.job.BackupConcurrencyLimit;
import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.job.BackupScheduler;
import io.github.sqlitebackup.offsite.OffsiteCopies;
import io.github.sqlitebackup.offsite.UploadEvents;
import io.github.sqlitebackup.storage.BackupStorage;
import io.github.sqlitebackup.storage.LocalDirectoryStorage;

/**
 * Builds the parts that back up one database (catalog, off-site copies, job, schedule)
 * from its properties: the same way for the primary database's beans and for each of
 * {@code sqlite.backup.databases}.
 */
final class DatabaseSetup {

	private static final Log logger = LogFactory.getLog(DatabaseSetup.class);

	private DatabaseSetup() {
	}

	static BackupCatalog catalog(SqliteBackupTemplate template, SqliteBackupProperties properties) {
		LocalDirectoryStorage storage;
		try {
			storage = LocalDirectoryStorage.open(properties.getDirectory());
		}
		catch (SqliteBackupException ex) {
			throw new InvalidConfigurationPropertyValueException(properties.prefix() + ".directory",
					properties.getDirectory(), ex.getMessage());
		}
		return new BackupCatalog(storage, identity(template.database(), properties));
	}

	private static DatabaseIdentity identity(DatabaseInfo database, SqliteBackupProperties properties) {
		String id = properties.getNamePrefix();
		if (id == null) {
			id = (database.file() != null) ? BackupNames.defaultPrefix(database.file()) : "sqlite";
		}
		return new DatabaseIdentity(id, database.description());
	}

	/**
	 * The off-site copies of one database.
	 * @param catalog the database's local catalog
	 * @param properties the database's properties
	 * @param remote the remote storage's properties
	 * @param storage the remote storage: the application's own, or the database's prefix
	 * of the S3 bucket
	 * @param context what every database's copies share
	 * @return the off-site copies, not yet started
	 */
	static OffsiteCopies offsite(BackupCatalog catalog, SqliteBackupProperties properties,
			SqliteBackupRemoteProperties remote, BackupStorage storage, Shared context) {
		String databaseId = catalog.identity().id();
		OffsiteCopies.Settings settings = OffsiteSetup.settings(remote, properties.toRetentionPolicy(true));
		logger.info("Off-site copies of database " + databaseId + " go to " + storage.description());
		return new OffsiteCopies(catalog, new BackupCatalog(storage, catalog.identity(), CommitOrder.MANIFEST_LAST),
				OffsiteSetup.storedForm(remote, context.classLoader()), OffsiteSetup.decoder(remote, context.classLoader()),
				settings, properties.getDirectory().toAbsolutePath().normalize(), context.clock(),
				new UploadEvents(databaseId, context.events()));
	}

	/**
	 * The remote storage of one database.
	 * @param remote the remote storage's properties
	 * @param applicationStorage the application's own storage bean, if any
	 * @param s3 the S3 connection, when the AWS SDK is present and a URL is set
	 * @param path the database's prefix below {@code sqlite.backup.remote.url}
	 * @return the storage
	 */
	static BackupStorage remoteStorage(SqliteBackupRemoteProperties remote, @Nullable BackupStorage applicationStorage,
			@Nullable RemoteStorageFactory s3, String path) {
		if (applicationStorage != null && remote.getUrl() != null) {
			throw new InvalidConfigurationPropertyValueException(SqliteBackupRemoteProperties.PREFIX + ".url",
					remote.getUrl(), "the application defines its own BackupStorage bean ("
							+ applicationStorage.description() + ") for off-site copies; remove one of the two");
		}
		if (applicationStorage != null) {
			return applicationStorage;
		}
		if (s3 == null) {
			throw new InvalidConfigurationPropertyValueException(SqliteBackupRemoteProperties.PREFIX + ".url",
					remote.getUrl(), "S3 storage needs the AWS SDK for Java v2 (software.amazon.awssdk:s3 and "
							+ "apache5-client) on the class path: use io.github.sqlitebackup:sqlite-backup-starter-s3");
		}
		return s3.storageOf(path);
	}

	static BackupJob job(SqliteBackupTemplate template, BackupCatalog catalog, SqliteBackupProperties properties,
			@Nullable OffsiteCopies offsite, Shared context) {
		DatabaseInfo database = template.database();
		if (database.privateInMemory()) {
			logger.warn("The database " + database.description() + " is a private in-memory database: "
					+ "every pooled connection has its own, so the backup job will refuse to run. Use a database file, "
					+ "or jdbc:sqlite:file:<name>?mode=memory&cache=shared.");
		}
		BackupJob.Settings settings = new BackupJob.Settings(properties.isSkipIfUnchanged(),
				properties.toRetentionPolicy(offsite != null), context.concurrency());
		return new BackupJob(template, database, catalog, properties.getDirectory().toAbsolutePath().normalize(),
				settings, context.events(), context.clock(), offsite);
	}

	static BackupScheduler scheduler(BackupJob job, SqliteBackupProperties properties) {
		SqliteBackupProperties.Schedule schedule = properties.getSchedule();
		return new BackupScheduler(job, schedule.toTrigger(), schedule.describe(), properties.getShutdown().getTimeout(),
				properties.getShutdown().isBackup());
	}

	/**
	 * What the parts of every database share.
	 *
	 * @param events where events are published
	 * @param clock the application's clock
	 * @param classLoader the class loader that optional libraries are looked up in
	 * @param concurrency how many backups may copy at the same time
	 */
	record Shared(ApplicationEventPublisher events, Clock clock, @Nullable ClassLoader classLoader,
			BackupConcurrencyLimit concurrency) {
	}

}

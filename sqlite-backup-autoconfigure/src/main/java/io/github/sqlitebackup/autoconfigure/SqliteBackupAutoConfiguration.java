package io.github.sqlitebackup.autoconfigure;

import java.time.Clock;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;

import software.amazon.awssdk.services.s3.S3Client;

import io.github.sqlitebackup.SqliteBackupException;
import io.github.sqlitebackup.SqliteBackupTemplate;
import io.github.sqlitebackup.DatabaseInfo;
import io.github.sqlitebackup.catalog.BackupCatalog;
import io.github.sqlitebackup.catalog.BackupCatalog.CommitOrder;
import io.github.sqlitebackup.catalog.BackupNames;
import io.github.sqlitebackup.catalog.DatabaseIdentity;
import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.job.BackupScheduler;
import io.github.sqlitebackup.offsite.OffsiteCopies;
import io.github.sqlitebackup.offsite.UploadEvents;
import io.github.sqlitebackup.storage.BackupStorage;
import io.github.sqlitebackup.storage.LocalDirectoryStorage;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * of a {@link SqliteBackupTemplate} over the application's SQLite {@link DataSource}, and of
 * the {@link BackupJob} with its catalog and schedule. Backs off for other databases and
 * when {@code sqlite.backup.enabled=false}; each bean backs off when the application defines
 * its own. A {@link Clock} bean of the application, if there is one, is the job's clock.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass(name = "org.sqlite.SQLiteConnection")
@ConditionalOnBooleanProperty(name = "sqlite.backup.enabled", matchIfMissing = true)
@ConditionalOnSingleCandidate(DataSource.class)
@Conditional(OnSqliteDataSourceCondition.class)
@EnableConfigurationProperties({ SqliteBackupProperties.class, SqliteBackupRemoteProperties.class })
public final class SqliteBackupAutoConfiguration {

	private static final Log logger = LogFactory.getLog(SqliteBackupAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	SqliteBackupTemplate sqliteBackupTemplate(DataSource dataSource, SqliteBackupProperties properties) {
		return new SqliteBackupTemplate(dataSource, properties.toBackupOptions());
	}

	@Bean
	@ConditionalOnMissingBean
	BackupCatalog sqliteBackupCatalog(SqliteBackupTemplate template, SqliteBackupProperties properties) {
		LocalDirectoryStorage storage;
		try {
			storage = LocalDirectoryStorage.open(properties.getDirectory());
		}
		catch (SqliteBackupException ex) {
			throw new InvalidConfigurationPropertyValueException(SqliteBackupProperties.PREFIX + ".directory",
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

	@Bean
	@ConditionalOnMissingBean
	@Conditional(OnOffsiteStorageCondition.class)
	OffsiteCopies sqliteBackupOffsiteCopies(BackupCatalog catalog, SqliteBackupProperties properties,
			SqliteBackupRemoteProperties remote, ObjectProvider<BackupStorage> applicationStorage,
			ObjectProvider<RemoteStorageFactory> s3, ApplicationEventPublisher events, ObjectProvider<Clock> clock,
			ResourceLoader resourceLoader) {
		BackupStorage storage = applicationStorage.getIfUnique();
		String databaseId = catalog.identity().id();
		if (storage != null && remote.getUrl() != null) {
			throw new InvalidConfigurationPropertyValueException(SqliteBackupRemoteProperties.PREFIX + ".url",
					remote.getUrl(), "the application defines its own BackupStorage bean (" + storage.description()
							+ ") for off-site copies; remove one of the two");
		}
		if (storage == null) {
			RemoteStorageFactory factory = s3.getIfAvailable();
			if (factory == null) {
				throw new InvalidConfigurationPropertyValueException(SqliteBackupRemoteProperties.PREFIX + ".url",
						remote.getUrl(), "S3 storage needs the AWS SDK for Java v2 (software.amazon.awssdk:s3 and "
								+ "apache5-client) on the class path: use io.github.sqlitebackup:sqlite-backup-starter-s3");
			}
			storage = factory.storageOf(databaseId);
		}
		OffsiteCopies.Settings settings = OffsiteSetup.settings(remote, properties.toRetentionPolicy(true));
		logger.info("Off-site copies of database " + databaseId + " go to " + storage.description());
		return new OffsiteCopies(catalog, new BackupCatalog(storage, catalog.identity(), CommitOrder.MANIFEST_LAST),
				OffsiteSetup.storedForm(remote, resourceLoader.getClassLoader()),
				OffsiteSetup.decoder(remote, resourceLoader.getClassLoader()), settings,
				properties.getDirectory().toAbsolutePath().normalize(), clock.getIfAvailable(Clock::systemUTC),
				new UploadEvents(databaseId, events));
	}

	@Bean
	@ConditionalOnMissingBean
	BackupJob sqliteBackupJob(SqliteBackupTemplate template, BackupCatalog catalog, SqliteBackupProperties properties,
			ApplicationEventPublisher events, ObjectProvider<Clock> clock, ObjectProvider<OffsiteCopies> offsite) {
		DatabaseInfo database = template.database();
		if (database.privateInMemory()) {
			logger.warn("The application's database " + database.description() + " is a private in-memory database: "
					+ "every pooled connection has its own, so the backup job will refuse to run. Use a database file, "
					+ "or jdbc:sqlite:file:<name>?mode=memory&cache=shared.");
		}
		OffsiteCopies copies = offsite.getIfAvailable();
		BackupJob.Settings settings = new BackupJob.Settings(properties.isSkipIfUnchanged(),
				properties.toRetentionPolicy(copies != null));
		return new BackupJob(template, database, catalog, properties.getDirectory().toAbsolutePath().normalize(),
				settings, events, clock.getIfAvailable(Clock::systemUTC), copies);
	}

	@Bean
	@ConditionalOnMissingBean
	BackupScheduler sqliteBackupScheduler(BackupJob job, SqliteBackupProperties properties) {
		SqliteBackupProperties.Schedule schedule = properties.getSchedule();
		return new BackupScheduler(job, schedule.toTrigger(), schedule.describe(), properties.getShutdown().getTimeout(),
				properties.getShutdown().isBackup());
	}

	/**
	 * The S3 storage of off-site copies, when the AWS SDK is on the class path and
	 * {@code sqlite.backup.remote.url} is set.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "software.amazon.awssdk.services.s3.S3Client")
	@ConditionalOnProperty(prefix = SqliteBackupRemoteProperties.PREFIX, name = "url")
	@ConditionalOnMissingBean(BackupStorage.class)
	static class S3StorageConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RemoteStorageFactory sqliteBackupS3Connection(SqliteBackupRemoteProperties remote,
				ObjectProvider<S3Client> applicationClient) {
			return S3Connection.of(remote, applicationClient.getIfUnique());
		}

	}

	/**
	 * Off-site copies are on when {@code sqlite.backup.remote.url} is set or the
	 * application defines a {@link BackupStorage} bean.
	 */
	static final class OnOffsiteStorageCondition extends AnyNestedCondition {

		OnOffsiteStorageCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnProperty(prefix = SqliteBackupRemoteProperties.PREFIX, name = "url")
		static final class RemoteUrl {

		}

		@ConditionalOnBean(BackupStorage.class)
		static final class ApplicationStorage {

		}

	}

}

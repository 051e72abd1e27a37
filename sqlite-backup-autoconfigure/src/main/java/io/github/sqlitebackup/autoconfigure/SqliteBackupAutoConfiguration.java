package io.github.sqlitebackup.autoconfigure;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
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
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;

import software.amazon.awssdk.services.s3.S3Client;

import io.github.sqlitebackup.SqliteBackupTemplate;
import io.github.sqlitebackup.catalog.BackupCatalog;
import io.github.sqlitebackup.job.BackupConcurrencyLimit;
import io.github.sqlitebackup.job.BackupDatabases;
import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.job.BackupScheduler;
import io.github.sqlitebackup.offsite.OffsiteCopies;
import io.github.sqlitebackup.storage.BackupStorage;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * of sqlite-backup: a {@link SqliteBackupTemplate} and a {@link BackupJob} with its
 * catalog and schedule for the application's single or primary SQLite {@link DataSource},
 * one more job for each database of {@code sqlite.backup.databases}, and the
 * {@link BackupDatabases} that lists them all. Backs off when {@code sqlite.backup.enabled=false};
 * each bean of the primary database backs off when the application defines its own. A
 * {@link Clock} bean of the application, if there is one, is the jobs' clock.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass(name = "org.sqlite.SQLiteConnection")
@ConditionalOnBooleanProperty(name = "sqlite.backup.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ SqliteBackupProperties.class, SqliteBackupRemoteProperties.class })
public final class SqliteBackupAutoConfiguration {

	private static final Log logger = LogFactory.getLog(SqliteBackupAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	BackupConcurrencyLimit sqliteBackupConcurrencyLimit(SqliteBackupProperties properties) {
		return new BackupConcurrencyLimit(properties.getMaxConcurrentBackups());
	}

	@Bean
	@Conditional(OnConfiguredDatabasesCondition.class)
	ConfiguredDatabases sqliteBackupConfiguredDatabases(SqliteBackupProperties properties,
			SqliteBackupRemoteProperties remote, ListableBeanFactory beanFactory, ObjectProvider<DataSource> dataSources,
			ObjectProvider<BackupJob> jobs, ObjectProvider<BackupStorage> applicationStorage,
			ObjectProvider<RemoteStorageFactory> s3, ApplicationEventPublisher events, ObjectProvider<Clock> clock,
			ResourceLoader resourceLoader, BackupConcurrencyLimit concurrency) {
		DatabaseSetup.Shared shared = shared(events, clock, resourceLoader, concurrency);
		BackupStorage storage = applicationStorage.getIfUnique();
		boolean offsite = storage != null || remote.getUrl() != null;
		return ConfiguredDatabases.create(properties, beanFactory, dataSources.getIfUnique(),
				jobs.orderedStream().toList(), offsite ? (path) -> (catalog, database) -> DatabaseSetup.offsite(catalog,
						database, remote, DatabaseSetup.remoteStorage(remote, storage, s3.getIfAvailable(), path), shared)
						: null,
				shared);
	}

	@Bean
	@ConditionalOnMissingBean
	@Conditional(OnBackupDatabasesCondition.class)
	BackupDatabases sqliteBackupDatabases(ObjectProvider<BackupJob> jobs, ObjectProvider<ConfiguredDatabases> configured,
			SqliteBackupProperties properties, ListableBeanFactory beanFactory, ObjectProvider<DataSource> dataSources) {
		List<BackupJob> all = new ArrayList<>(jobs.orderedStream().toList());
		configured.ifAvailable((databases) -> all.addAll(databases.jobs()));
		BackupDatabases databases;
		try {
			databases = new BackupDatabases(all);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(SqliteBackupProperties.PREFIX + ".databases",
					properties.getDatabases().keySet(), ex.getMessage());
		}
		logger.info("SQLite databases backed up: " + databases.jobs()
			.stream()
			.map((job) -> job.databaseId() + " (" + job.database().description() + ")")
			.collect(Collectors.joining(", ")));
		NotBackedUp.report(beanFactory, all, dataSources.getIfUnique());
		return databases;
	}

	private static DatabaseSetup.Shared shared(ApplicationEventPublisher events, ObjectProvider<Clock> clock,
			ResourceLoader resourceLoader, BackupConcurrencyLimit concurrency) {
		return new DatabaseSetup.Shared(events, clock.getIfAvailable(Clock::systemUTC), resourceLoader.getClassLoader(),
				concurrency);
	}

	/**
	 * The beans that back up the application's single or primary SQLite DataSource.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "sqlite.backup.primary.enabled", matchIfMissing = true)
	@ConditionalOnSingleCandidate(DataSource.class)
	@Conditional(OnSqliteDataSourceCondition.class)
	static class PrimaryDatabaseConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SqliteBackupTemplate sqliteBackupTemplate(DataSource dataSource, SqliteBackupProperties properties) {
			if (Boolean.FALSE.equals(SqliteDataSources.isSqlite(dataSource))) {
				throw new InvalidConfigurationPropertyValueException(SqliteBackupProperties.PREFIX + ".primary.enabled", true,
						"sqlite-backup backs up the application's single or primary DataSource, but it is not SQLite; "
								+ "set " + SqliteBackupProperties.PREFIX + ".primary.enabled=false (and name the SQLite "
								+ "DataSources in " + SqliteBackupProperties.PREFIX + ".databases.<id>.data-source)");
			}
			return new SqliteBackupTemplate(dataSource, properties.toBackupOptions());
		}

		@Bean
		@ConditionalOnMissingBean
		BackupCatalog sqliteBackupCatalog(SqliteBackupTemplate template, SqliteBackupProperties properties) {
			return DatabaseSetup.catalog(template, properties);
		}

		@Bean
		@ConditionalOnMissingBean
		@Conditional(OnOffsiteStorageCondition.class)
		OffsiteCopies sqliteBackupOffsiteCopies(BackupCatalog catalog, SqliteBackupProperties properties,
				SqliteBackupRemoteProperties remote, ObjectProvider<BackupStorage> applicationStorage,
				ObjectProvider<RemoteStorageFactory> s3, ApplicationEventPublisher events, ObjectProvider<Clock> clock,
				ResourceLoader resourceLoader, BackupConcurrencyLimit concurrency) {
			BackupStorage storage = DatabaseSetup.remoteStorage(remote, applicationStorage.getIfUnique(),
					s3.getIfAvailable(), catalog.identity().id());
			return DatabaseSetup.offsite(catalog, properties, remote, storage,
					shared(events, clock, resourceLoader, concurrency));
		}

		@Bean
		@ConditionalOnMissingBean
		BackupJob sqliteBackupJob(SqliteBackupTemplate template, BackupCatalog catalog,
				SqliteBackupProperties properties, ApplicationEventPublisher events, ObjectProvider<Clock> clock,
				ObjectProvider<OffsiteCopies> offsite, ResourceLoader resourceLoader,
				BackupConcurrencyLimit concurrency) {
			return DatabaseSetup.job(template, catalog, properties, offsite.getIfAvailable(),
					shared(events, clock, resourceLoader, concurrency));
		}

		@Bean
		@ConditionalOnMissingBean
		BackupScheduler sqliteBackupScheduler(BackupJob job, SqliteBackupProperties properties) {
			return DatabaseSetup.scheduler(job, properties);
		}

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

	/**
	 * There are databases to list when a job backs up the primary database or
	 * {@code sqlite.backup.databases} has entries.
	 */
	static final class OnBackupDatabasesCondition extends AnyNestedCondition {

		OnBackupDatabasesCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnBean(BackupJob.class)
		static final class PrimaryJob {

		}

		@Conditional(OnConfiguredDatabasesCondition.class)
		static final class Configured {

		}

	}

}

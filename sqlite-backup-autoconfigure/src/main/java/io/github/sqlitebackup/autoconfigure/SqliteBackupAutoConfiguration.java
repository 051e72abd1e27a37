package io.github.sqlitebackup.autoconfigure;

import java.time.Clock;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Conditional;

import io.github.sqlitebackup.SqliteBackupException;
import io.github.sqlitebackup.SqliteBackupTemplate;
import io.github.sqlitebackup.job.BackupCatalog;
import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.job.BackupScheduler;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * of a {@link SqliteBackupTemplate} over the application's SQLite {@link DataSource}, and of
 * the {@link BackupJob} with its catalog and schedule. Backs off for other databases and
 * when {@code sqlite.backup.enabled=false}; each bean backs off when the application defines
 * its own.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass(name = "org.sqlite.SQLiteConnection")
@ConditionalOnBooleanProperty(name = "sqlite.backup.enabled", matchIfMissing = true)
@ConditionalOnSingleCandidate(DataSource.class)
@Conditional(OnSqliteDataSourceCondition.class)
@EnableConfigurationProperties(SqliteBackupProperties.class)
public final class SqliteBackupAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SqliteBackupTemplate sqliteBackupTemplate(DataSource dataSource, SqliteBackupProperties properties) {
		return new SqliteBackupTemplate(dataSource, properties.toBackupOptions());
	}

	@Bean
	@ConditionalOnMissingBean
	BackupCatalog sqliteBackupCatalog(SqliteBackupProperties properties) {
		BackupCatalog catalog = new BackupCatalog(properties.getDirectory());
		try {
			catalog.open();
		}
		catch (SqliteBackupException ex) {
			throw new InvalidConfigurationPropertyValueException(SqliteBackupProperties.PREFIX + ".directory",
					properties.getDirectory(), ex.getMessage());
		}
		return catalog;
	}

	@Bean
	@ConditionalOnMissingBean
	BackupJob sqliteBackupJob(SqliteBackupTemplate template, DataSource dataSource, BackupCatalog catalog,
			SqliteBackupProperties properties, ApplicationEventPublisher events) {
		BackupJob.Settings settings = new BackupJob.Settings(properties.getNamePrefix(),
				properties.isSkipIfUnchanged(), properties.toRetentionPolicy());
		return new BackupJob(template, dataSource, catalog, settings, events, Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	BackupScheduler sqliteBackupScheduler(BackupJob job, SqliteBackupProperties properties) {
		SqliteBackupProperties.Schedule schedule = properties.getSchedule();
		return new BackupScheduler(job, schedule.toTrigger(), schedule.describe(), properties.getShutdown().getTimeout(),
				properties.getShutdown().isBackup());
	}

}

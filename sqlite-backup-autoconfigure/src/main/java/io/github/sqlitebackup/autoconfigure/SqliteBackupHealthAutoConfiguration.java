package io.github.sqlitebackup.autoconfigure;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

import io.github.sqlitebackup.actuate.SqliteBackupHealthIndicator;
import io.github.sqlitebackup.job.BackupJob;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * of the {@code sqliteBackup} health indicator; switched off with
 * {@code management.health.sqlitebackup.enabled=false}.
 */
@AutoConfiguration(after = SqliteBackupAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnEnabledHealthIndicator("sqlitebackup")
@ConditionalOnBean({ BackupJob.class, SqliteBackupProperties.class })
public final class SqliteBackupHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "sqliteBackupHealthIndicator")
	SqliteBackupHealthIndicator sqliteBackupHealthIndicator(BackupJob job, SqliteBackupProperties properties,
			ObjectProvider<Clock> clock) {
		return new SqliteBackupHealthIndicator(job, properties.healthFreshness(), clock.getIfAvailable(Clock::systemUTC));
	}

}

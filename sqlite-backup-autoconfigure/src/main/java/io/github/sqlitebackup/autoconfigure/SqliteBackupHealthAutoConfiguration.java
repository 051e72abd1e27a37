package io.github.sqlitebackup.autoconfigure;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

import io.github.sqlitebackup.actuate.SqliteBackupHealthIndicator;
import io.github.sqlitebackup.job.BackupDatabases;
import io.github.sqlitebackup.job.BackupJob;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * of the {@code sqliteBackup} health contributor: the indicator of the only database, or,
 * like Boot's {@code db} health with several DataSources, a composite with one indicator
 * per database id. Switched off with {@code management.health.sqlitebackup.enabled=false}.
 */
@AutoConfiguration(after = SqliteBackupAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnEnabledHealthIndicator("sqlitebackup")
@ConditionalOnBean({ BackupDatabases.class, SqliteBackupProperties.class })
public final class SqliteBackupHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = { "sqliteBackupHealthIndicator", "sqliteBackupHealthContributor" })
	HealthContributor sqliteBackupHealthContributor(BackupDatabases databases, SqliteBackupProperties properties,
			ObjectProvider<Clock> clock) {
		Clock healthClock = clock.getIfAvailable(Clock::systemUTC);
		List<BackupJob> jobs = databases.jobs();
		if (jobs.size() == 1) {
			return indicator(jobs.get(0), properties, healthClock);
		}
		Map<String, HealthContributor> indicators = new LinkedHashMap<>();
		jobs.forEach((job) -> indicators.put(job.databaseId(), indicator(job, properties, healthClock)));
		return CompositeHealthContributor.fromMap(indicators);
	}

	private static SqliteBackupHealthIndicator indicator(BackupJob job, SqliteBackupProperties properties,
			Clock clock) {
		return new SqliteBackupHealthIndicator(job, properties.of(job.databaseId()).healthFreshness(), clock);
	}

}

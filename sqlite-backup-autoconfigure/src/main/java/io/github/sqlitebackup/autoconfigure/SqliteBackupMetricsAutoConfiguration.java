package io.github.sqlitebackup.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.github.sqlitebackup.actuate.SqliteBackupMetrics;
import io.github.sqlitebackup.actuate.SqliteBackupOffsiteMetrics;
import io.github.sqlitebackup.offsite.OffsiteCopies;
import io.github.sqlitebackup.job.BackupJob;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * of the {@code sqlite.backup.*} Micrometer meters, when Micrometer is on the class path.
 */
@AutoConfiguration(after = SqliteBackupAutoConfiguration.class)
@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
@ConditionalOnBean(BackupJob.class)
public final class SqliteBackupMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SqliteBackupMetrics sqliteBackupMetrics(BackupJob job) {
		return new SqliteBackupMetrics(job);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(OffsiteCopies.class)
	SqliteBackupOffsiteMetrics sqliteBackupOffsiteMetrics(BackupJob job) {
		return new SqliteBackupOffsiteMetrics(job);
	}

}

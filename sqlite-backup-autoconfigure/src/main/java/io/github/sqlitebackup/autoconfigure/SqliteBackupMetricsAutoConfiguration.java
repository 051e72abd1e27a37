package io.github.sqlitebackup.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.github.sqlitebackup.actuate.SqliteBackupMetrics;
import io.github.sqlitebackup.actuate.SqliteBackupOffsiteMetrics;
import io.github.sqlitebackup.job.BackupDatabases;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * of the {@code sqlite.backup.*} Micrometer meters, when Micrometer is on the class path.
 */
@AutoConfiguration(after = SqliteBackupAutoConfiguration.class)
@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
@ConditionalOnBean(BackupDatabases.class)
public final class SqliteBackupMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SqliteBackupMetrics sqliteBackupMetrics(BackupDatabases databases) {
		return new SqliteBackupMetrics(databases);
	}

	@Bean
	@ConditionalOnMissingBean
	SqliteBackupOffsiteMetrics sqliteBackupOffsiteMetrics(BackupDatabases databases) {
		return new SqliteBackupOffsiteMetrics(databases);
	}

}

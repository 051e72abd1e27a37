package io.github.sqlitebackup.autoconfigure;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.github.sqlitebackup.actuate.ReplicationMetrics;
import io.github.sqlitebackup.replication.ReplicatedDatabases;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * of the {@code sqlite.backup.replication.*} Micrometer meters, when Micrometer is on the
 * class path and replication is on.
 */
@AutoConfiguration(after = SqliteBackupReplicationAutoConfiguration.class)
@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
@ConditionalOnBean(ReplicatedDatabases.class)
public final class SqliteBackupReplicationMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ReplicationMetrics sqliteBackupReplicationMetrics(ReplicatedDatabases replicated, ObjectProvider<Clock> clock) {
		return new ReplicationMetrics(replicated, clock.getIfAvailable(Clock::systemUTC));
	}

}

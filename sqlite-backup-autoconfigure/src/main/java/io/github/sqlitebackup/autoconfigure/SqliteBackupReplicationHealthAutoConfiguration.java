package io.github.sqlitebackup.autoconfigure;

import java.time.Clock;
import java.util.LinkedHashMap;
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

import io.github.sqlitebackup.actuate.ReplicationHealthIndicator;
import io.github.sqlitebackup.replication.ReplicatedDatabases;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * of the {@code sqliteReplication} health contributor: one indicator for a single replicated
 * database, a composite with one per database id for several. Switched off with
 * {@code management.health.sqlitereplication.enabled=false}.
 */
@AutoConfiguration(after = SqliteBackupReplicationAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnEnabledHealthIndicator("sqlitereplication")
@ConditionalOnBean({ ReplicatedDatabases.class, SqliteBackupReplicationProperties.class })
public final class SqliteBackupReplicationHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = { "sqliteReplicationHealthIndicator", "sqliteReplicationHealthContributor" })
	HealthContributor sqliteReplicationHealthContributor(ReplicatedDatabases replicated,
			SqliteBackupReplicationProperties properties, ObjectProvider<Clock> clock) {
		Clock healthClock = clock.getIfAvailable(Clock::systemUTC);
		if (replicated.databaseIds().size() == 1) {
			return new ReplicationHealthIndicator(replicated, replicated.databaseIds().iterator().next(),
					properties.getMaxLag(), healthClock);
		}
		Map<String, HealthContributor> indicators = new LinkedHashMap<>();
		replicated.databaseIds()
			.forEach((id) -> indicators.put(id,
					new ReplicationHealthIndicator(replicated, id, properties.getMaxLag(), healthClock)));
		return CompositeHealthContributor.fromMap(indicators);
	}

}

package io.github.sqlitebackup.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.github.sqlitebackup.actuate.SqliteBackupEndpoint;
import io.github.sqlitebackup.job.BackupDatabases;
import io.github.sqlitebackup.replication.ReplicatedDatabases;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * of the {@code sqlitebackup} actuator endpoint. Like every actuator endpoint it is
 * reachable over HTTP only when exposed ({@code management.endpoints.web.exposure.include}).
 */
@AutoConfiguration(after = { SqliteBackupAutoConfiguration.class, SqliteBackupReplicationAutoConfiguration.class })
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnAvailableEndpoint(SqliteBackupEndpoint.class)
@ConditionalOnBean({ BackupDatabases.class, SqliteBackupProperties.class })
public final class SqliteBackupEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SqliteBackupEndpoint sqliteBackupEndpoint(BackupDatabases databases, SqliteBackupProperties properties,
			ObjectProvider<ReplicatedDatabases> replicated) {
		return new SqliteBackupEndpoint(databases, replicated.getIfAvailable(),
				(id) -> properties.of(id).getSchedule().describe(), properties.getRestore().isEnabled(),
				properties.getEndpoint().getResponseTimeout());
	}

}

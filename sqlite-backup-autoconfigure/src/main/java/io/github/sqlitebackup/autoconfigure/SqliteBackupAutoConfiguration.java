package io.github.sqlitebackup.autoconfigure;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

import io.github.sqlitebackup.SqliteBackupTemplate;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * of a {@link SqliteBackupTemplate} over the application's SQLite {@link DataSource}. Backs
 * off for other databases, when the application defines its own template, and when
 * {@code sqlite.backup.enabled=false}.
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

}

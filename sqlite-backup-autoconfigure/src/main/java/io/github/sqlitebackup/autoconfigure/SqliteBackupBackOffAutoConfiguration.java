package io.github.sqlitebackup.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport.ConditionAndOutcomes;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import io.github.sqlitebackup.job.BackupDatabases;

/**
 * Says at start-up why nothing is backed up when the application configured
 * {@code sqlite.backup.*} or has SQLite DataSources but {@link SqliteBackupAutoConfiguration}
 * backs up none (the DataSource is not SQLite, there are several and none is primary, or
 * the driver is missing): silence would leave the databases without backups unnoticed.
 */
@AutoConfiguration(after = SqliteBackupAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "sqlite.backup.enabled", matchIfMissing = true)
@ConditionalOnMissingBean(BackupDatabases.class)
public final class SqliteBackupBackOffAutoConfiguration {

	@Bean
	static SmartInitializingSingleton sqliteBackupBackOffReporter(ConfigurableListableBeanFactory beanFactory,
			Environment environment) {
		return () -> report(beanFactory, environment);
	}

	private static void report(ConfigurableListableBeanFactory beanFactory, Environment environment) {
		Map<String, Object> configured = Binder.get(environment)
			.bind(SqliteBackupProperties.PREFIX, Bindable.mapOf(String.class, Object.class))
			.orElse(Map.of());
		if (beanFactory.getBeanNamesForType(BackupDatabases.class).length > 0) {
			return;
		}
		List<String> sqliteDataSources = NotBackedUp.report(beanFactory, List.of(),
				beanFactory.getBeanProvider(DataSource.class).getIfUnique());
		if (configured.isEmpty() && sqliteDataSources.isEmpty()) {
			return;
		}
		List<String> what = new ArrayList<>();
		if (!configured.isEmpty()) {
			what.add("sqlite.backup.* is configured (" + String.join(", ", configured.keySet()) + ")");
		}
		if (!sqliteDataSources.isEmpty()) {
			what.add("there are SQLite DataSources (" + String.join(", ", sqliteDataSources) + ")");
		}
		LogFactory.getLog(SqliteBackupBackOffAutoConfiguration.class)
			.warn("Nothing will be backed up although " + String.join(" and ", what) + ": " + reason(beanFactory)
					+ ". Back up a SQLite DataSource "
					+ "(spring.datasource.url=jdbc:sqlite:...; with several DataSources mark the SQLite one @Primary, or "
					+ "name each in sqlite.backup.databases.<id>.data-source), or set sqlite.backup.enabled=false to "
					+ "silence this.");
	}

	private static String reason(ConfigurableListableBeanFactory beanFactory) {
		Map<String, ConditionAndOutcomes> bySource = ConditionEvaluationReport.get(beanFactory)
			.getConditionAndOutcomesBySource();
		if (!bySource.containsKey(SqliteBackupAutoConfiguration.class.getName())) {
			return "the SQLite backup auto-configuration did not run (sqlite-jdbc is not on the class path, or it "
					+ "was excluded)";
		}
		String reasons = Stream
			.of(SqliteBackupAutoConfiguration.class, SqliteBackupAutoConfiguration.PrimaryDatabaseConfiguration.class)
			.map((source) -> bySource.get(source.getName()))
			.filter(Objects::nonNull)
			.flatMap(ConditionAndOutcomes::stream)
			.filter((conditionAndOutcome) -> !conditionAndOutcome.getOutcome().isMatch())
			.map((conditionAndOutcome) -> conditionAndOutcome.getOutcome().getMessage())
			.collect(Collectors.joining("; "));
		return "the SQLite backup auto-configuration found no SQLite database to back up (" + reasons + ")";
	}

}

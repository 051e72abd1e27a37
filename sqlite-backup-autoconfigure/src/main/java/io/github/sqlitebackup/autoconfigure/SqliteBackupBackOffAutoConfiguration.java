package io.github.sqlitebackup.autoconfigure;

import java.util.Map;
import java.util.stream.Collectors;

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

import io.github.sqlitebackup.job.BackupJob;

/**
 * Says at start-up why nothing is backed up when the application configured
 * {@code sqlite.backup.*} but {@link SqliteBackupAutoConfiguration} backed off (the
 * DataSource is not SQLite, there are several, or the driver is missing): silence would
 * leave the database without backups unnoticed.
 */
@AutoConfiguration(after = SqliteBackupAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "sqlite.backup.enabled", matchIfMissing = true)
@ConditionalOnMissingBean(BackupJob.class)
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
		if (configured.isEmpty() || beanFactory.getBeanNamesForType(BackupJob.class).length > 0) {
			return;
		}
		LogFactory.getLog(SqliteBackupBackOffAutoConfiguration.class)
			.warn("sqlite.backup.* is configured (" + String.join(", ", configured.keySet()) + ") but nothing will be "
					+ "backed up: " + reason(beanFactory) + ". Back up a SQLite DataSource (spring.datasource.url="
					+ "jdbc:sqlite:...; with several DataSources mark the SQLite one @Primary), or set "
					+ "sqlite.backup.enabled=false to silence this.");
	}

	private static String reason(ConfigurableListableBeanFactory beanFactory) {
		ConditionAndOutcomes outcomes = ConditionEvaluationReport.get(beanFactory)
			.getConditionAndOutcomesBySource()
			.get(SqliteBackupAutoConfiguration.class.getName());
		if (outcomes == null) {
			return "the SQLite backup auto-configuration did not run (sqlite-jdbc is not on the class path, or it "
					+ "was excluded)";
		}
		return "the SQLite backup auto-configuration backed off ("
				+ outcomes.stream()
					.filter((conditionAndOutcome) -> !conditionAndOutcome.getOutcome().isMatch())
					.map((conditionAndOutcome) -> conditionAndOutcome.getOutcome().getMessage())
					.collect(Collectors.joining("; "))
				+ ")";
	}

}

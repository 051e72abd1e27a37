package io.github.sqlitebackup.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.sqlitebackup.actuate.SqliteBackupEndpoint;
import io.github.sqlitebackup.actuate.SqliteBackupHealthIndicator;
import io.github.sqlitebackup.actuate.SqliteBackupMetrics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditions of the endpoint, health and metrics auto-configurations.
 */
class ActuatorAutoConfigurationTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner runner;

	@BeforeEach
	void runner() {
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					SqliteBackupAutoConfiguration.class, SqliteBackupEndpointAutoConfiguration.class,
					SqliteBackupHealthAutoConfiguration.class, SqliteBackupMetricsAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + this.dir.resolve("app.db"),
					"sqlite.backup.directory=" + this.dir.resolve("backups"));
	}

	@Test
	void endpointExistsOnlyWhenExposed() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(SqliteBackupEndpoint.class));
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=sqlitebackup")
			.run((context) -> assertThat(context).hasSingleBean(SqliteBackupEndpoint.class));
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=sqlitebackup",
					"management.endpoint.sqlitebackup.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(SqliteBackupEndpoint.class));
	}

	@Test
	void healthIndicatorCanBeDisabledTheStandardWay() {
		this.runner.run((context) -> assertThat(context).getBean("sqliteBackupHealthContributor")
			.isInstanceOf(SqliteBackupHealthIndicator.class));
		this.runner.withPropertyValues("management.health.sqlitebackup.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("sqliteBackupHealthContributor"));
	}

	@Test
	void metricsNeedMicrometer() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(SqliteBackupMetrics.class));
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SqliteBackupMetrics.class));
	}

	@Test
	void nothingWithoutTheBackupJob() {
		this.runner.withPropertyValues("sqlite.backup.enabled=false", "management.endpoints.web.exposure.include=*")
			.run((context) -> assertThat(context).doesNotHaveBean(SqliteBackupEndpoint.class)
				.doesNotHaveBean(SqliteBackupHealthIndicator.class)
				.doesNotHaveBean(SqliteBackupMetrics.class));
	}

	@Test
	void healthFreshnessFollowsTheSchedule() {
		Instant now = Instant.parse("2026-11-23T10:00:00Z"); // a Monday
		this.runner.run((context) -> assertThat(context.getBean(SqliteBackupProperties.class).healthFreshness()).isNull());
		this.runner.withPropertyValues("sqlite.backup.schedule.fixed-delay=15m")
			.run((context) -> assertThat(context.getBean(SqliteBackupProperties.class).healthFreshness().staleBefore(now))
				.isEqualTo(now.minus(Duration.ofMinutes(30))));
		this.runner.withPropertyValues("sqlite.backup.schedule.cron=0 0 2 * * MON-FRI", "sqlite.backup.schedule.zone=UTC")
			.run((context) -> assertThat(context.getBean(SqliteBackupProperties.class).healthFreshness().staleBefore(now))
				.isEqualTo(Instant.parse("2026-11-20T02:00:00Z")));
		this.runner.withPropertyValues("sqlite.backup.schedule.cron=0 0 * * * *", "sqlite.backup.health.max-age=3h")
			.run((context) -> assertThat(context.getBean(SqliteBackupProperties.class).healthFreshness().staleBefore(now))
				.isEqualTo(now.minus(Duration.ofHours(3))));
	}

}

package io.github.sqlitebackup.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import io.github.sqlitebackup.CopyEngine;
import io.github.sqlitebackup.SqliteBackupTemplate;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.job.BackupConcurrencyLimit;
import io.github.sqlitebackup.job.BackupDatabases;
import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.job.BackupRunOutcome;
import io.github.sqlitebackup.job.BackupScheduler;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Which databases {@link SqliteBackupAutoConfiguration} backs up when the application has
 * several SQLite DataSources, and how bad {@code sqlite.backup.databases} entries stop
 * start-up.
 */
@ExtendWith(OutputCaptureExtension.class)
class SeveralDatabasesConfigurationTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner runner;

	@BeforeEach
	void databases() throws Exception {
		TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 100_000);
		TestDatabase.create(this.dir.resolve("events.db"), "wal", 4096, 100_000);
		TestDatabase.create(this.dir.resolve("audit.db"), "delete", 4096, 50_000);
		this.runner = new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DataSourceAutoConfiguration.class, SqliteBackupAutoConfiguration.class,
							SqliteBackupBackOffAutoConfiguration.class))
			.withPropertyValues("sqlite.backup.directory=" + this.dir.resolve("backups"), "test.dir=" + this.dir);
	}

	@Test
	void anApplicationsOwnHikariDataSourceWithoutSpringDatasourceUrlIsBackedUp() {
		this.runner.withUserConfiguration(OnePool.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(BackupJob.class);
			BackupJob job = context.getBean(BackupJob.class);
			assertThat(job.databaseId()).isEqualTo("app");
			assertThat(job.run(BackupTrigger.MANUAL).status()).isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
			assertThat(context.getBean(BackupDatabases.class).ids()).containsExactly("app");
		});
	}

	@Test
	void withAPrimaryAndASecondaryAndNoConfigurationThePrimaryIsBackedUpAndTheOtherNamed(CapturedOutput output) {
		this.runner.withUserConfiguration(TwoPools.class).run((context) -> {
			assertThat(context.getBean(BackupDatabases.class).ids()).containsExactly("app");
			assertThat(output).contains("SQLite databases backed up: app (" + this.dir.resolve("app.db"))
				.contains("The SQLite DataSource 'eventsDataSource' (" + this.dir.resolve("events.db")
						+ ") is not backed up; to back it up, set sqlite.backup.databases.<id>.data-source="
						+ "eventsDataSource");
			StringBuilder report = new StringBuilder();
			ConditionEvaluationReport.get(context.getBeanFactory())
				.getConditionAndOutcomesBySource()
				.get(SqliteBackupAutoConfiguration.PrimaryDatabaseConfiguration.class.getName())
				.forEach((outcome) -> report.append(outcome.getOutcome().getMessage()).append('\n'));
			assertThat(report.toString()).contains("[dataSource, eventsDataSource]")
				.contains("sqlite.backup.databases.<id>.data-source names another");
		});
	}

	@Test
	void withSeveralDataSourcesAndNoPrimaryNothingTurnsOffSilently(CapturedOutput output) {
		this.runner.withUserConfiguration(TwoPoolsWithoutPrimary.class).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(BackupDatabases.class);
			assertThat(output).contains("The SQLite DataSource 'dataSource'")
				.contains("The SQLite DataSource 'eventsDataSource'")
				.contains("Nothing will be backed up although sqlite.backup.* is configured (directory) and there are "
						+ "SQLite DataSources (dataSource, eventsDataSource)")
				.contains("sqlite.backup.databases.<id>.data-source");
		});
	}

	@Test
	void configuredDatabasesAreBackedUpBesideThePrimaryEachWithItsOwnJob() {
		this.runner.withUserConfiguration(TwoPools.class)
			.withPropertyValues("sqlite.backup.databases.events.data-source=eventsDataSource",
					"sqlite.backup.databases.events.step-size=7", "sqlite.backup.databases.audit.schema=audit",
					"sqlite.backup.step-size=3", "sqlite.backup.max-concurrent-backups=2")
			.run((context) -> {
				BackupDatabases databases = context.getBean(BackupDatabases.class);
				assertThat(databases.ids()).containsExactly("app", "events", "audit");
				assertThat(context).hasSingleBean(BackupJob.class).hasSingleBean(BackupScheduler.class);
				assertThat(context.getBean(BackupConcurrencyLimit.class).limit()).isEqualTo(2);
				for (BackupJob job : databases.jobs()) {
					assertThat(job.run(BackupTrigger.MANUAL).status()).as(job.databaseId())
						.isEqualTo(BackupRunOutcome.Status.SUCCEEDED);
				}
				assertThat(databases.job("audit").orElseThrow().database().file())
					.isEqualTo(this.dir.resolve("audit.db"));
				assertThat(databases.jobOf(databases.job("events").orElseThrow().backups().get(0).name()))
					.containsSame(databases.job("events").orElseThrow());
			});
	}

	@Test
	void eachDatabaseMayCopyWithItsOwnEngine() {
		SqliteBackupProperties properties = new SqliteBackupProperties();
		properties.setCopyEngine(CopyEngine.ONLINE_BACKUP_API);
		SqliteBackupProperties.Database events = new SqliteBackupProperties.Database();
		events.setDataSource("eventsDataSource");
		events.setCopyEngine(CopyEngine.PAGE_COPY);
		SqliteBackupProperties.Database audit = new SqliteBackupProperties.Database();
		audit.setDataSource("auditDataSource");
		properties.getDatabases().put("events", events);
		properties.getDatabases().put("audit", audit);
		assertThat(properties.forDatabase("events").toBackupOptions().copyEngine()).isEqualTo(CopyEngine.PAGE_COPY);
		assertThat(properties.forDatabase("audit").toBackupOptions().copyEngine())
			.isEqualTo(CopyEngine.ONLINE_BACKUP_API);
	}

	@Test
	void eachDatabaseRunsOnItsOwnSchedule() {
		this.runner.withUserConfiguration(TwoPools.class)
			.withPropertyValues("sqlite.backup.databases.events.data-source=eventsDataSource",
					"sqlite.backup.databases.events.schedule.fixed-delay=50ms",
					"sqlite.backup.databases.audit.schema=audit",
					"sqlite.backup.databases.audit.schedule.fixed-delay=1h")
			.run((context) -> {
				BackupDatabases databases = context.getBean(BackupDatabases.class);
				BackupJob events = databases.job("events").orElseThrow();
				BackupJob audit = databases.job("audit").orElseThrow();
				await().atMost(Duration.ofSeconds(30)).until(() -> scheduled(events) >= 3 && scheduled(audit) == 1);
				assertThat(databases.job("app").orElseThrow().backups()).as("the primary has no schedule").isEmpty();
				assertThat(scheduled(audit)).as("audit's next run is an hour away").isEqualTo(1);
			});
	}

	private static long scheduled(BackupJob job) {
		return job.backups().stream().filter((backup) -> backup.trigger() == BackupTrigger.SCHEDULE).count();
	}

	@Test
	void theApplicationsOwnJobForAnotherDatabaseDoesNotHideThatThePrimaryIsNotBackedUp(CapturedOutput output) {
		this.runner.withUserConfiguration(TwoPools.class, OwnTemplateForEvents.class).run((context) -> {
			assertThat(context.getBean(BackupDatabases.class).ids()).containsExactly("events");
			assertThat(output).contains("The SQLite DataSource 'dataSource' (" + this.dir.resolve("app.db")
					+ ") is not backed up")
				.contains("it is the application's primary DataSource");
		});
	}

	@Test
	void aPrimaryDataSourceThatIsNotSqliteStopsStartupUnlessTurnedOff() {
		this.runner.withUserConfiguration(H2Primary.class).run((context) -> assertThat(context).hasFailed()
			.getFailure()
			.hasStackTraceContaining("sqlite.backup.primary.enabled")
			.hasStackTraceContaining("it is not SQLite"));
		this.runner.withUserConfiguration(H2Primary.class)
			.withPropertyValues("sqlite.backup.primary.enabled=false",
					"sqlite.backup.databases.events.data-source=eventsDataSource")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(SqliteBackupTemplate.class);
				assertThat(context.getBean(BackupDatabases.class).ids()).containsExactly("events");
			});
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = {
			"databases.events.data-source=nope|sqlite.backup.databases.events.data-source|there is no DataSource bean named 'nope' (DataSource beans: dataSource, eventsDataSource)",
			"databases.events.data-source=notADataSource|sqlite.backup.databases.events.data-source|is a java.lang.String, not a DataSource",
			"databases.audit.schema=nope|sqlite.backup.databases.audit.schema|nope",
			"databases.lonely.step-size=7|sqlite.backup.databases.lonely.data-source|set sqlite.backup.databases.lonely.data-source",
			"databases.app.data-source=eventsDataSource|sqlite.backup.databases|the id 'app' is already the id of database 'app'",
			"databases.APP.data-source=eventsDataSource|sqlite.backup.databases|also in case",
			"databases.again.data-source=dataSource|sqlite.backup.databases.again.data-source|which database 'app' already backs up",
			"databases.[bad.id].data-source=eventsDataSource|sqlite.backup.databases|must be 1 to 64 letters",
			"databases.events.retention.keep-last=-1|sqlite.backup.databases.events.retention.keep-last|1 or more",
			"databases.events.schedule.cron=nonsense|sqlite.backup.databases.events.schedule.cron|not a cron expression",
			"databases.events.remote-prefix=../x|sqlite.backup.databases.events.remote-prefix|path segments",
			"max-concurrent-backups=0|sqlite.backup.max-concurrent-backups|must be 1 or more" })
	void badConfigurationStopsStartupNamingTheProperty(String setting, String property, String reason) {
		this.runner.withUserConfiguration(TwoPools.class)
			.withBean("notADataSource", String.class, () -> "text")
			.withPropertyValues("sqlite.backup." + setting)
			.withPropertyValues(setting.startsWith("databases.events.") && !setting.contains("data-source")
					? "sqlite.backup.databases.events.data-source=eventsDataSource" : "test.unused=x")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining(property)
				.hasStackTraceContaining(reason));
	}

	@Configuration(proxyBeanMethods = false)
	static class OnePool {

		@Bean
		HikariDataSource dataSource(org.springframework.core.env.Environment environment) {
			return TestDatabase.pool(Path.of(environment.getProperty("test.dir")).resolve("app.db"), 2);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoPools {

		@Bean
		@Primary
		HikariDataSource dataSource(org.springframework.core.env.Environment environment) {
			Path dir = Path.of(environment.getProperty("test.dir"));
			return TestDatabase.pool(dir.resolve("app.db"), 2,
					"ATTACH DATABASE '" + dir.resolve("audit.db") + "' AS audit");
		}

		@Bean
		HikariDataSource eventsDataSource(org.springframework.core.env.Environment environment) {
			return TestDatabase.pool(Path.of(environment.getProperty("test.dir")).resolve("events.db"), 2);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoPoolsWithoutPrimary {

		@Bean
		HikariDataSource dataSource(org.springframework.core.env.Environment environment) {
			return TestDatabase.pool(Path.of(environment.getProperty("test.dir")).resolve("app.db"), 2);
		}

		@Bean
		HikariDataSource eventsDataSource(org.springframework.core.env.Environment environment) {
			return TestDatabase.pool(Path.of(environment.getProperty("test.dir")).resolve("events.db"), 2);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnTemplateForEvents {

		@Bean
		SqliteBackupTemplate eventsTemplate(@Qualifier("eventsDataSource") DataSource eventsDataSource) {
			return new SqliteBackupTemplate(eventsDataSource);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class H2Primary {

		@Bean
		@Primary
		HikariDataSource dataSource() {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl("jdbc:h2:mem:primary");
			return dataSource;
		}

		@Bean
		HikariDataSource eventsDataSource(org.springframework.core.env.Environment environment) {
			return TestDatabase.pool(Path.of(environment.getProperty("test.dir")).resolve("events.db"), 2);
		}

	}

}

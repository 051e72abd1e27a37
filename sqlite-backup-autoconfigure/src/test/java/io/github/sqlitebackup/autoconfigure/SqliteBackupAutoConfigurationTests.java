package io.github.sqlitebackup.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sqlite.SQLiteDataSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.sqlitebackup.BackupOptions;
import io.github.sqlitebackup.BackupResult;
import io.github.sqlitebackup.CopyEngine;
import io.github.sqlitebackup.SqliteBackupException;
import io.github.sqlitebackup.SqliteBackupTemplate;
import io.github.sqlitebackup.Verification;
import io.github.sqlitebackup.catalog.BackupCatalog;
import io.github.sqlitebackup.job.BackupDatabases;
import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.job.BackupScheduler;
import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Conditions and property binding of {@link SqliteBackupAutoConfiguration}.
 */
class SqliteBackupAutoConfigurationTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner runner;

	@BeforeEach
	void backupDirectoryInTempDir() {
		this.runner = new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DataSourceAutoConfiguration.class, SqliteBackupAutoConfiguration.class))
			.withPropertyValues("sqlite.backup.directory=" + this.dir.resolve("backups"));
	}

	@Test
	void templateBacksUpTheAutoConfiguredSqliteDataSource() throws Exception {
		Path database = TestDatabase.create(this.dir.resolve("app.db"), "wal", 4096, 100_000);
		this.runner.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + database).run((context) -> {
			assertThat(context).hasSingleBean(SqliteBackupTemplate.class).hasSingleBean(SqliteBackupProperties.class);
			BackupResult result = context.getBean(SqliteBackupTemplate.class).backup(this.dir.resolve("copy.db"));
			assertThat(result.pages()).isPositive();
		});
		assertThat(TestDatabase.fingerprint(this.dir.resolve("copy.db"))).isEqualTo(TestDatabase.fingerprint(database));
	}

	@Test
	void defaultOptionsAreTheLibraryDefaults() {
		sqlite().run((context) -> assertThat(context.getBean(SqliteBackupTemplate.class).getDefaultOptions())
			.usingRecursiveComparison()
			.isEqualTo(BackupOptions.defaults()));
	}

	@Test
	void propertiesBecomeTheTemplatesDefaultOptions() {
		sqlite()
			.withPropertyValues("sqlite.backup.step-size=500", "sqlite.backup.retry-sleep=250",
					"sqlite.backup.step-pause=5ms", "sqlite.backup.max-retries=7", "sqlite.backup.schema=main",
					"sqlite.backup.copy-engine=online-backup-api")
			.run((context) -> {
				BackupOptions options = context.getBean(SqliteBackupTemplate.class).getDefaultOptions();
				assertThat(options.stepSize()).isEqualTo(500);
				assertThat(options.retrySleep()).isEqualTo(Duration.ofMillis(250));
				assertThat(options.stepPause()).isEqualTo(Duration.ofMillis(5));
				assertThat(options.maxRetries()).isEqualTo(7);
				assertThat(options.schema()).isEqualTo("main");
				assertThat(options.copyEngine()).isEqualTo(CopyEngine.ONLINE_BACKUP_API);
			});
	}

	@Test
	void backupsCopyPageByPageByDefault() {
		sqlite().run((context) -> assertThat(context.getBean(SqliteBackupTemplate.class).getDefaultOptions().copyEngine())
			.isEqualTo(CopyEngine.PAGE_COPY));
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', value = { "step-size|0|stepSize must be a positive number of pages or -1",
			"step-size|-5|but was -5", "max-retries|-1|maxRetries must be zero or more",
			"retry-sleep|-1ms|retrySleep must be between 0", "step-pause|30d|stepPause must be between 0",
			"schema|' '|schema must not be blank", "step-size|many|many", "verify|thorough|thorough", "copy-engine|turbo|turbo",
			"schedule.cron|'0 0 * *'|not a cron expression", "schedule.fixed-delay|0s|must be positive",
			"schedule.initial-delay|-1s|must not be negative", "retention.keep-last|0|there is no off-site storage",
			"retention.keep-last|-1|keep-last must be 1 or more",
			"retention.max-age|0d|max-age must be positive", "name-prefix|'../evil'|must be 1 to 64 letters",
			"shutdown.timeout|-5s|must not be negative", "health.max-age|0s|must be positive",
			"endpoint.response-timeout|-1s|must not be negative" })
	void invalidPropertyStopsStartupWithAMessageNamingTheProperty(String property, String value, String reason) {
		sqlite().withPropertyValues("sqlite.backup." + property + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("sqlite.backup." + property)
				.hasStackTraceContaining(reason);
		});
	}

	@Test
	void cronAndFixedDelayTogetherStopStartup() {
		sqlite().withPropertyValues("sqlite.backup.schedule.cron=0 0 * * * *", "sqlite.backup.schedule.fixed-delay=1h")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("set either sqlite.backup.schedule.cron or sqlite.backup.schedule.fixed-delay"));
	}

	@Test
	void unusableBackupDirectoryStopsStartup() throws Exception {
		java.nio.file.Path file = java.nio.file.Files.writeString(this.dir.resolve("a-file"), "not a directory");
		sqlite().withPropertyValues("sqlite.backup.directory=" + file.resolve("backups"))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Property sqlite.backup.directory with value '" + file.resolve("backups"))
				.hasStackTraceContaining("Cannot create backup directory"));
	}

	@Test
	void jobBeansAreCreatedAndBackOffForTheApplicationsOwn() {
		sqlite().run((context) -> assertThat(context).hasSingleBean(BackupJob.class)
			.hasSingleBean(BackupCatalog.class)
			.hasSingleBean(BackupScheduler.class));
		sqlite().withUserConfiguration(OwnJobConfiguration.class)
			.run((context) -> assertThat(context).getBean(BackupCatalog.class).isSameAs(OwnJobConfiguration.CATALOG));
	}

	@Test
	void verifyPropertyBecomesTheTemplatesVerification() {
		sqlite().withPropertyValues("sqlite.backup.verify=full")
			.run((context) -> assertThat(
					context.getBean(SqliteBackupTemplate.class).getDefaultOptions().verification())
				.isEqualTo(Verification.FULL));
	}

	@Test
	void backsOffForOtherDatabases() {
		this.runner.withPropertyValues("spring.datasource.url=jdbc:h2:mem:other")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(DataSource.class)
				.doesNotHaveBean(SqliteBackupTemplate.class)
				.doesNotHaveBean(BackupJob.class)
				.doesNotHaveBean(BackupDatabases.class));
	}

	@Test
	void backsOffForAnEmbeddedDatabaseWithoutUrl() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(DataSource.class)
			.doesNotHaveBean(SqliteBackupTemplate.class));
	}

	@Test
	void backsOffWhenDisabled() {
		sqlite().withPropertyValues("sqlite.backup.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(DataSource.class)
				.doesNotHaveBean(SqliteBackupTemplate.class)
				.doesNotHaveBean(SqliteBackupProperties.class));
	}

	@Test
	void backsOffWhenTheApplicationDefinesItsOwnTemplate() {
		sqlite().withUserConfiguration(OwnTemplateConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(SqliteBackupTemplate.class);
			assertThat(context.getBean(SqliteBackupTemplate.class).getDefaultOptions().stepSize()).isEqualTo(123);
		});
	}

	@Test
	void matchesASqliteDataSourceBeanWithoutUrlProperty() {
		this.runner.withUserConfiguration(SqliteDataSourceConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(SqliteBackupTemplate.class));
	}

	@Test
	void backsOffWithoutDataSource() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SqliteBackupAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:sqlite::memory:")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SqliteBackupTemplate.class));
	}

	@Test
	void templateIsClosedWithTheContext() {
		SqliteBackupTemplate[] template = new SqliteBackupTemplate[1];
		sqlite().run((context) -> template[0] = context.getBean(SqliteBackupTemplate.class));
		assertThatExceptionOfType(SqliteBackupException.class)
			.isThrownBy(() -> template[0].backup(this.dir.resolve("late.db")))
			.withMessageContaining("has been closed");
	}

	private ApplicationContextRunner sqlite() {
		return this.runner.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + this.dir.resolve("app.db"));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnTemplateConfiguration {

		@Bean
		SqliteBackupTemplate myTemplate(DataSource dataSource) {
			return new SqliteBackupTemplate(dataSource, BackupOptions.defaults().withStepSize(123));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnJobConfiguration {

		static final BackupCatalog CATALOG = new BackupCatalog(
				new io.github.sqlitebackup.storage.LocalDirectoryStorage(java.nio.file.Path.of("target/own-catalog")),
				new io.github.sqlitebackup.catalog.DatabaseIdentity("own", "own.db"));

		@Bean
		BackupCatalog myCatalog() {
			return CATALOG;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SqliteDataSourceConfiguration {

		@Bean
		SQLiteDataSource dataSource() {
			SQLiteDataSource dataSource = new SQLiteDataSource();
			dataSource.setUrl("jdbc:sqlite::memory:");
			return dataSource;
		}

	}

}

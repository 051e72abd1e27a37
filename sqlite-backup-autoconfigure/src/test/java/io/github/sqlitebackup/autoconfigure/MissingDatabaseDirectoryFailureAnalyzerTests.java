package io.github.sqlitebackup.autoconfigure;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A database whose directory is missing stops start-up with an analysis that names the
 * directory, instead of a bare {@code SQLITE_CANTOPEN} deep in the pool.
 */
@ExtendWith(OutputCaptureExtension.class)
class MissingDatabaseDirectoryFailureAnalyzerTests {

	@TempDir
	Path dir;

	@Test
	void namesTheMissingDirectory(CapturedOutput output) {
		Path missing = this.dir.resolve("not-created").resolve("data");
		SpringApplication application = new SpringApplication(App.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run(
				"--spring.datasource.url=jdbc:sqlite:" + missing.resolve("app.db"),
				"--sqlite.backup.directory=" + this.dir.resolve("backups")));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("its directory " + missing + " does not exist")
			.contains("Create the directory " + missing);
	}

	@Test
	void staysOutOfTheWayForOtherFailures() {
		MissingDatabaseDirectoryFailureAnalyzer analyzer = new MissingDatabaseDirectoryFailureAnalyzer(
				new org.springframework.mock.env.MockEnvironment().withProperty("spring.datasource.url",
						"jdbc:sqlite:" + this.dir.resolve("app.db")));
		assertThat(analyzer.analyze(new org.sqlite.SQLiteException("can't open",
				org.sqlite.SQLiteErrorCode.SQLITE_CANTOPEN))).as("the directory exists").isNull();
		assertThat(analyzer.analyze(
				new org.sqlite.SQLiteException("busy", org.sqlite.SQLiteErrorCode.SQLITE_BUSY))).isNull();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, SqliteBackupAutoConfiguration.class })
	static class App {

	}

}

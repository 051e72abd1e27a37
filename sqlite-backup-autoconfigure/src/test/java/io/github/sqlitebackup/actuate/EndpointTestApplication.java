package io.github.sqlitebackup.actuate;

import java.nio.file.Path;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.test.context.DynamicPropertyRegistry;

import io.github.sqlitebackup.support.TestDatabase;

/**
 * A web application with the starter's auto-configuration, for the endpoint tests.
 */
// Spring Security is on the test class path for the security tests; these test the endpoint alone
@SpringBootApplication(excludeName = { "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration" })
class EndpointTestApplication {

	/**
	 * Create the application's database {@code app.db} in a directory and point the
	 * DataSource at it and the backup directory at {@code backups} beside it.
	 * @param registry the test's property registry
	 * @param dir the directory
	 * @param journalMode {@code wal} or {@code delete}
	 * @param approximateBytes the database's approximate size
	 */
	static void useDatabase(DynamicPropertyRegistry registry, Path dir, String journalMode, long approximateBytes)
			throws Exception {
		Path database = TestDatabase.create(dir.resolve("app.db"), journalMode, 4096, approximateBytes);
		registry.add("spring.datasource.url", () -> "jdbc:sqlite:" + database);
		registry.add("sqlite.backup.directory", () -> dir.resolve("backups").toString());
	}

}

package io.github.sqlitebackup.actuate;

import java.nio.file.Path;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.test.context.DynamicPropertyRegistry;

import io.github.sqlitebackup.support.S3TestServer;
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

	/**
	 * Point the off-site copies at a bucket of a test S3 server.
	 * @param registry the test's property registry
	 * @param server the server, with a bucket {@code backups}
	 */
	static void useS3(DynamicPropertyRegistry registry, S3TestServer server) {
		registry.add("sqlite.backup.remote.url", () -> "s3://backups/apps");
		registry.add("sqlite.backup.remote.endpoint", server::endpoint);
		registry.add("sqlite.backup.remote.path-style-access", () -> "true");
		registry.add("sqlite.backup.remote.access-key-id", () -> S3TestServer.ACCESS_KEY);
		registry.add("sqlite.backup.remote.secret-access-key", () -> S3TestServer.SECRET_KEY);
	}

}

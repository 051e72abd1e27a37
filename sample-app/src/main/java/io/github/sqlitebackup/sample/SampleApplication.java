package io.github.sqlitebackup.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.util.ClassUtils;

/**
 * A small notes service on a SQLite file, backed up with sqlite-backup-starter.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) throws IOException {
		// SQLite creates the database file, but not its directory
		Files.createDirectories(Path.of(System.getProperty("sample.data-dir", "data")));
		SpringApplication application = new SpringApplication(SampleApplication.class);
		if (ClassUtils.isPresent("org.gaul.s3proxy.S3Proxy", null)) {
			// with spring-boot:run; the packaged jar leaves the optional test server out
			application.addInitializers(new LocalS3Server());
		}
		application.run(args);
	}

}

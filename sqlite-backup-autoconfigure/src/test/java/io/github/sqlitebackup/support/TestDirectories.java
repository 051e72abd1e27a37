package io.github.sqlitebackup.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Directories under {@code target/} for tests whose application writes into them until its
 * context is closed, later than JUnit would delete a temporary directory.
 */
public final class TestDirectories {

	private TestDirectories() {
	}

	/**
	 * Create a fresh directory under {@code target/test-directories}.
	 * @param name what the directory is for
	 * @return the directory
	 */
	public static Path create(String name) {
		try {
			Path parent = Files.createDirectories(Path.of("target", "test-directories"));
			return Files.createTempDirectory(parent, name + "-").toAbsolutePath();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}

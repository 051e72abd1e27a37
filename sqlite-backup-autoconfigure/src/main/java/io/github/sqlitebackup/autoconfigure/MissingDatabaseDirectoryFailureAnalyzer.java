package io.github.sqlitebackup.autoconfigure;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * Explains a start-up that failed because SQLite could not open the database file
 * ({@code SQLITE_CANTOPEN}) since its directory does not exist, which otherwise surfaces
 * deep in a connection pool, Flyway or Hibernate: SQLite creates a missing database file,
 * but never a missing directory.
 */
class MissingDatabaseDirectoryFailureAnalyzer extends AbstractFailureAnalyzer<SQLiteException> {

	private static final String URL_PROPERTY = "spring.datasource.url";

	private final Environment environment;

	MissingDatabaseDirectoryFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, SQLiteException cause) {
		if (cause.getResultCode() != SQLiteErrorCode.SQLITE_CANTOPEN) {
			return null;
		}
		Path file = databaseFile(this.environment.getProperty(URL_PROPERTY));
		Path directory = (file != null) ? file.toAbsolutePath().getParent() : null;
		if (directory == null || Files.isDirectory(directory)) {
			return null;
		}
		return new FailureAnalysis(
				"SQLite cannot open the database file " + file.toAbsolutePath() + " (" + URL_PROPERTY + "="
						+ this.environment.getProperty(URL_PROPERTY) + "): its directory " + directory
						+ " does not exist. SQLite creates a missing database file, but not a missing directory.",
				"Create the directory " + directory + " (writable by the application's user) before the application "
						+ "starts, or point " + URL_PROPERTY + " at a file in an existing directory.",
				cause);
	}

	private static @Nullable Path databaseFile(@Nullable String url) {
		if (url == null || !url.startsWith("jdbc:sqlite:")) {
			return null;
		}
		String location = url.substring("jdbc:sqlite:".length());
		int query = location.indexOf('?');
		if (query >= 0) {
			location = location.substring(0, query);
		}
		if (location.startsWith("file:")) {
			location = location.substring("file:".length());
		}
		if (location.isEmpty() || location.contains(":memory:")) {
			return null;
		}
		try {
			return Path.of(location);
		}
		catch (InvalidPathException ex) {
			return null;
		}
	}

}

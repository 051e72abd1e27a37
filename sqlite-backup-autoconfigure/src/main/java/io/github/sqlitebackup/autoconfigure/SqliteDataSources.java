package io.github.sqlitebackup.autoconfigure;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteDataSource;

import org.springframework.jdbc.datasource.AbstractDriverBasedDataSource;
import org.springframework.util.ClassUtils;

/**
 * Tells SQLite DataSources from others without opening a connection: from their type, or
 * the JDBC URL of a HikariCP pool or a Spring driver-based DataSource.
 */
final class SqliteDataSources {

	private static final String SQLITE_URL_PREFIX = "jdbc:sqlite:";

	private static final boolean HIKARI_PRESENT = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
			SqliteDataSources.class.getClassLoader());

	private SqliteDataSources() {
	}

	/**
	 * Return whether a DataSource is SQLite.
	 * @param dataSource the DataSource
	 * @return {@code true} or {@code false}, or {@code null} when only a connection could
	 * tell
	 */
	static @Nullable Boolean isSqlite(DataSource dataSource) {
		if (dataSource instanceof SQLiteDataSource || isWrapperForSqlite(dataSource)) {
			return true;
		}
		String url = url(dataSource);
		return (url != null) ? url.trim().toLowerCase(Locale.ROOT).startsWith(SQLITE_URL_PREFIX) : null;
	}

	/**
	 * Return whether a JDBC URL is SQLite's.
	 * @param url the URL
	 * @return whether it starts with {@code jdbc:sqlite:}
	 */
	static boolean isSqliteUrl(String url) {
		return url.trim().toLowerCase(Locale.ROOT).startsWith(SQLITE_URL_PREFIX);
	}

	private static boolean isWrapperForSqlite(DataSource dataSource) {
		try {
			return dataSource.isWrapperFor(SQLiteDataSource.class);
		}
		catch (SQLException | RuntimeException ex) {
			return false;
		}
	}

	/**
	 * Return the database file a SQLite DataSource opens, from its JDBC URL, without
	 * opening a connection; relative paths resolve against the working directory, as
	 * SQLite resolves them.
	 * @param dataSource the DataSource
	 * @return the file, or empty for an in-memory database, a class path resource, or a
	 * DataSource whose URL cannot be read without connecting
	 */
	static Optional<Path> databaseFile(DataSource dataSource) {
		String url = url(dataSource);
		if (url == null || !isSqliteUrl(url)) {
			return Optional.empty();
		}
		return fileOf(url.trim().substring(SQLITE_URL_PREFIX.length()));
	}

	private static Optional<Path> fileOf(String location) {
		boolean uri = location.startsWith("file:");
		int query = location.indexOf('?');
		String parameters = (query >= 0) ? location.substring(query + 1) : "";
		String name = (query >= 0) ? location.substring(0, query) : location;
		if (uri) {
			name = URLDecoder.decode(name.substring("file:".length()), StandardCharsets.UTF_8);
			if (name.startsWith("//")) {
				int path = name.indexOf('/', 2);
				name = (path >= 0) ? name.substring(path) : "";
			}
		}
		if (name.isEmpty() || name.equals(":memory:") || name.startsWith(":resource:")
				|| parameters.contains("mode=memory")) {
			return Optional.empty();
		}
		try {
			return Optional.of(Path.of(name).toAbsolutePath().normalize());
		}
		catch (InvalidPathException ex) {
			return Optional.empty();
		}
	}

	private static @Nullable String url(DataSource dataSource) {
		if (dataSource instanceof SQLiteDataSource sqlite) {
			return sqlite.getUrl();
		}
		if (dataSource instanceof AbstractDriverBasedDataSource driverBased) {
			return driverBased.getUrl();
		}
		return HIKARI_PRESENT ? Hikari.url(dataSource) : null;
	}

	/** Kept apart so that HikariCP's classes load only when HikariCP is present. */
	private static final class Hikari {

		static @Nullable String url(DataSource dataSource) {
			if (dataSource instanceof HikariDataSource hikari) {
				if (hikari.getDataSource() instanceof SQLiteDataSource sqlite) {
					return sqlite.getUrl();
				}
				return hikari.getJdbcUrl();
			}
			return null;
		}

	}

}

package io.github.sqlitebackup.autoconfigure;

import java.sql.SQLException;
import java.util.Locale;

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

	private static @Nullable String url(DataSource dataSource) {
		if (dataSource instanceof AbstractDriverBasedDataSource driverBased) {
			return driverBased.getUrl();
		}
		return HIKARI_PRESENT ? Hikari.url(dataSource) : null;
	}

	/** Kept apart so that HikariCP's classes load only when HikariCP is present. */
	private static final class Hikari {

		static @Nullable String url(DataSource dataSource) {
			if (dataSource instanceof HikariDataSource hikari) {
				if (hikari.getDataSource() instanceof SQLiteDataSource) {
					return SQLITE_URL_PREFIX;
				}
				return hikari.getJdbcUrl();
			}
			return null;
		}

	}

}

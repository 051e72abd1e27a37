package io.github.sqlitebackup.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

import io.github.sqlitebackup.SchemaVersion;

/**
 * Reads a schema's {@link SchemaVersion}: user version, a fingerprint of its definitions,
 * and the newest migration of a Flyway or Liquibase history table when there is one.
 */
final class SchemaVersions {

	private SchemaVersions() {
	}

	/**
	 * Read the schema version of a schema.
	 * @param connection a connection to the database
	 * @param schema the schema's name on that connection
	 * @return the version
	 * @throws SQLException if the schema cannot be read
	 */
	static SchemaVersion read(Connection connection, String schema) throws SQLException {
		String quoted = SqliteConnections.quote(schema);
		long userVersion = SqliteConnections.queryLong(connection, "PRAGMA " + quoted + ".user_version");
		return new SchemaVersion(userVersion, fingerprint(connection, quoted), migrations(connection, quoted));
	}

	private static String fingerprint(Connection connection, String schema) throws SQLException {
		MessageDigest digest = sha256();
		// internal tables (sqlite_sequence, sqlite_stat1) change with the data, not the schema
		String sql = "SELECT type, name, tbl_name, coalesce(sql, '') FROM " + schema + ".sqlite_schema "
				+ "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name";
		try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
			while (rows.next()) {
				for (int column = 1; column <= 4; column++) {
					digest.update(rows.getString(column).getBytes(StandardCharsets.UTF_8));
					digest.update((byte) 0);
				}
			}
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	private static @Nullable String migrations(Connection connection, String schema) throws SQLException {
		if (hasTable(connection, schema, "flyway_schema_history")) {
			String version = queryOptional(connection, "SELECT version FROM " + schema
					+ ".flyway_schema_history WHERE success = 1 AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1");
			return (version != null) ? "flyway " + version : null;
		}
		if (hasTable(connection, schema, "DATABASECHANGELOG")) {
			String last = queryOptional(connection,
					"SELECT id FROM " + schema + ".DATABASECHANGELOG ORDER BY ORDEREXECUTED DESC LIMIT 1");
			String count = queryOptional(connection, "SELECT count(*) FROM " + schema + ".DATABASECHANGELOG");
			return (last != null) ? "liquibase " + last + " (" + count + " change sets)" : null;
		}
		return null;
	}

	private static boolean hasTable(Connection connection, String schema, String table) throws SQLException {
		return queryOptional(connection, "SELECT name FROM " + schema + ".sqlite_schema WHERE type = 'table' AND name = '"
				+ table + "' COLLATE NOCASE") != null;
	}

	private static @Nullable String queryOptional(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
			return rows.next() ? rows.getString(1) : null;
		}
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

}

package io.github.sqlitebackup.engine;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteOpenMode;

import io.github.sqlitebackup.JournalMode;

/**
 * Opens the engine's own connections to database files and runs the few statements it
 * needs on them (also for replication's connections).
 */
public final class SqliteConnections {

	private SqliteConnections() {
	}

	/**
	 * Open a read-write connection to an existing database file, never creating one.
	 * @param file the database file
	 * @return the connection
	 * @throws SQLException if the file cannot be opened
	 */
	public static SQLiteConnection open(Path file) throws SQLException {
		SQLiteConfig config = new SQLiteConfig();
		config.resetOpenMode(SQLiteOpenMode.CREATE);
		return (SQLiteConnection) JDBC.createConnection(JDBC.PREFIX + uri(file), config.toProperties());
	}

	/**
	 * Open a read-only connection to a finished file that nothing else uses: no locks and no
	 * side files ({@code immutable=1}).
	 * @param file the database file
	 * @return the connection
	 * @throws SQLException if the file cannot be opened
	 */
	static SQLiteConnection openImmutable(Path file) throws SQLException {
		SQLiteConfig config = new SQLiteConfig();
		config.setReadOnly(true);
		return (SQLiteConnection) JDBC.createConnection(JDBC.PREFIX + uri(file) + "?immutable=1",
				config.toProperties());
	}

	/**
	 * Run {@code PRAGMA quick_check} or {@code PRAGMA integrity_check} and return the
	 * problems it reports.
	 * @param connection the connection
	 * @param pragma {@code quick_check} or {@code integrity_check}
	 * @return the problems, empty if the database is intact
	 * @throws SQLException if the check cannot run
	 */
	static List<String> check(Connection connection, String pragma) throws SQLException {
		List<String> problems = new ArrayList<>();
		try (Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("PRAGMA " + pragma + "(20)")) {
			while (rows.next()) {
				String row = rows.getString(1);
				if (!"ok".equals(row)) {
					problems.add(row);
				}
			}
		}
		return problems;
	}

	/**
	 * Switch a private copy to a rollback journal, so that it can be copied into any
	 * database (in-memory ones included) without changing that database's journal mode.
	 * @param connection a read-write connection to the copy
	 * @throws SQLException if the pragma fails
	 */
	static void useRollbackJournal(Connection connection) throws SQLException {
		execute(connection, "PRAGMA journal_mode=DELETE");
	}

	/**
	 * Return the journal mode of a schema.
	 * @param connection the connection
	 * @param schema the schema name
	 * @return the journal mode
	 * @throws SQLException if the pragma fails
	 */
	static JournalMode journalMode(Connection connection, String schema) throws SQLException {
		return JournalMode.fromPragma(queryString(connection, "PRAGMA " + quote(schema) + ".journal_mode"));
	}

	/**
	 * Run a query that returns one value and return it as a number.
	 * @param connection the connection
	 * @param sql the query
	 * @return the value
	 * @throws SQLException if the query fails
	 */
	static long queryLong(Connection connection, String sql) throws SQLException {
		return Long.parseLong(queryString(connection, sql));
	}

	/**
	 * Run a query that returns one value and return it.
	 * @param connection the connection
	 * @param sql the query
	 * @return the value
	 * @throws SQLException if the query fails or returns no row
	 */
	public static String queryString(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
			if (!rows.next()) {
				throw new SQLException("No result from " + sql);
			}
			return rows.getString(1);
		}
	}

	/**
	 * Run a statement that returns nothing.
	 * @param connection the connection
	 * @param sql the statement
	 * @throws SQLException if the statement fails
	 */
	public static void execute(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	/**
	 * Quote an identifier such as a schema name for use in SQL.
	 * @param identifier the identifier
	 * @return the quoted identifier
	 */
	static String quote(String identifier) {
		return '"' + identifier.replace("\"", "\"\"") + '"';
	}

	/**
	 * Return the SQLite URI filename of a file: {@code file:} plus the absolute path,
	 * percent-encoded, so that any character in the path is safe.
	 * @param file the file
	 * @return the URI
	 */
	private static String uri(Path file) {
		return file.toAbsolutePath().toUri().toASCIIString();
	}

}

package io.github.sqlitebackup.engine;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConnection;

import io.github.sqlitebackup.JournalMode;
import io.github.sqlitebackup.SqliteBackupException;

/**
 * The application's database schema that an operation works on, and the connection the
 * engine uses for it.
 * <p>
 * For a schema stored in a file, the engine opens a dedicated connection to that file and
 * gives the pool's connection back at once, so a backup never holds the application's
 * connection for the whole copy. Only in-memory and temporary schemas, which exist on one
 * connection alone, keep the pool's connection for the operation.
 */
public final class SourceDatabase implements AutoCloseable {

	private static final String JDBC_PREFIX = "jdbc:sqlite:";

	private final String schema;

	private final @Nullable Path file;

	private final SQLiteConnection connection;

	private final String connectionSchema;

	private final @Nullable Connection borrowed;

	private final JournalMode journalMode;

	private final int pageSize;

	private final boolean privateMemory;

	private SourceDatabase(String schema, @Nullable Path file, SQLiteConnection connection, String connectionSchema,
			@Nullable Connection borrowed, boolean privateMemory) throws SQLException {
		this.schema = schema;
		this.file = file;
		this.connection = connection;
		this.connectionSchema = connectionSchema;
		this.borrowed = borrowed;
		this.privateMemory = privateMemory;
		this.journalMode = SqliteConnections.journalMode(connection, connectionSchema);
		this.pageSize = (int) SqliteConnections.queryLong(connection,
				"PRAGMA " + SqliteConnections.quote(connectionSchema) + ".page_size");
	}

	/**
	 * Find a schema of the DataSource's database and open the connection to work on it.
	 * @param dataSource the application's DataSource
	 * @param schema {@code main} or the name of an attached database
	 * @param guard the check that a database file is still the one the application opened
	 * @return the source, to be closed after the operation
	 * @throws SqliteBackupException if the DataSource is not SQLite, has no such schema, or
	 * its file was replaced
	 */
	public static SourceDatabase open(DataSource dataSource, String schema, DatabaseFileGuard guard) {
		DatabaseFileGuard.Location known = guard.location(schema);
		if (known != null) {
			guard.check(known.file());
			try {
				return dedicated(known.name(), known.file());
			}
			catch (SQLException ex) {
				throw new SqliteBackupException("Cannot open " + known.file() + ": " + ex.getMessage(), ex);
			}
		}
		Connection pooled;
		try {
			pooled = dataSource.getConnection();
		}
		catch (SQLException ex) {
			throw new SqliteBackupException("Cannot get a connection from the DataSource: " + ex.getMessage(), ex);
		}
		boolean keepPooled = false;
		try {
			SQLiteConnection sqlite = unwrap(pooled);
			SchemaEntry entry = findSchema(sqlite, schema);
			if (entry.file() != null) {
				guard.check(entry.file());
				guard.remember(schema, new DatabaseFileGuard.Location(entry.name(), entry.file()));
				return dedicated(entry.name(), entry.file());
			}
			keepPooled = true;
			return new SourceDatabase(entry.name(), null, sqlite, entry.name(), pooled, isPrivateMemory(sqlite));
		}
		catch (SQLException ex) {
			throw new SqliteBackupException("Cannot open schema '" + schema + "' of the database: " + ex.getMessage(),
					ex);
		}
		finally {
			if (!keepPooled) {
				closeQuietly(pooled);
			}
		}
	}

	private static SourceDatabase dedicated(String schema, Path file) throws SQLException {
		SQLiteConnection connection = SqliteConnections.open(file);
		try {
			return new SourceDatabase(schema, file, connection, "main", null, false);
		}
		catch (SQLException | RuntimeException ex) {
			closeQuietly(connection);
			throw ex;
		}
	}

	/**
	 * Return the schema's name as the database reports it.
	 * @return the schema name
	 */
	public String schema() {
		return this.schema;
	}

	/**
	 * Return the file that stores the schema.
	 * @return the absolute path, or {@code null} for an in-memory or temporary schema
	 */
	public @Nullable Path file() {
		return this.file;
	}

	/**
	 * Return the connection to work on: dedicated for a file, else the pool's.
	 * @return the connection
	 */
	public SQLiteConnection connection() {
		return this.connection;
	}

	/**
	 * Return the schema's name on {@link #connection()}: {@code main} on a dedicated
	 * connection.
	 * @return the schema name to use with the connection
	 */
	public String connectionSchema() {
		return this.connectionSchema;
	}

	/**
	 * Return whether the engine has its own connection, rather than the pool's.
	 * @return {@code true} for a dedicated connection
	 */
	public boolean isDedicated() {
		return this.borrowed == null;
	}

	/**
	 * Return whether the schema is the {@code main} database of a private in-memory
	 * connection ({@code jdbc:sqlite::memory:} without a shared cache): each connection of a
	 * pool then has its own, different database.
	 * @return {@code true} for a private in-memory database
	 */
	public boolean isPrivateMemory() {
		return this.privateMemory;
	}

	/**
	 * Return the schema's journal mode.
	 * @return the journal mode
	 */
	public JournalMode journalMode() {
		return this.journalMode;
	}

	/**
	 * Return the schema's page size.
	 * @return the page size in bytes
	 */
	public int pageSize() {
		return this.pageSize;
	}

	/**
	 * Return a description for messages: the file, or the schema for in-memory databases.
	 * @return the description
	 */
	public String describe() {
		return (this.file != null) ? this.file.toString() : "in-memory schema '" + this.schema + "'";
	}

	@Override
	public void close() {
		closeQuietly((this.borrowed != null) ? this.borrowed : this.connection);
	}

	private static SQLiteConnection unwrap(Connection pooled) throws SQLException {
		if (!pooled.isWrapperFor(SQLiteConnection.class)) {
			throw new SqliteBackupException("The DataSource is not a SQLite DataSource: its connections are "
					+ pooled.getMetaData().getDatabaseProductName() + " (" + pooled.getClass().getName()
					+ "). SqliteBackupTemplate needs a DataSource of org.xerial:sqlite-jdbc (jdbc:sqlite:...).");
		}
		return pooled.unwrap(SQLiteConnection.class);
	}

	private static boolean isPrivateMemory(SQLiteConnection connection) {
		String url = connection.getUrl();
		return !url.contains("cache=shared") && (url.contains(":memory:") || url.contains("mode=memory")
				|| url.equals(JDBC_PREFIX) || url.equals(JDBC_PREFIX + "file:"));
	}

	private static SchemaEntry findSchema(Connection connection, String schema) throws SQLException {
		List<String> names = new ArrayList<>();
		try (Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("PRAGMA database_list")) {
			while (rows.next()) {
				String name = rows.getString("name");
				String file = rows.getString("file");
				if (name.equalsIgnoreCase(schema)) {
					return new SchemaEntry(name, (file == null || file.isEmpty()) ? null : Path.of(file));
				}
				names.add(name);
			}
		}
		throw new SqliteBackupException(
				"Unknown schema '" + schema + "': the database has " + String.join(", ", names) + ".");
	}

	private static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			// nothing left to do for a connection we are done with
		}
	}

	private record SchemaEntry(String name, @Nullable Path file) {
	}

}

package io.github.sqlitebackup.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Real SQLite database files for tests: created with content (tables with indexes, text
 * and blobs), pooled through HikariCP, and compared by a logical fingerprint.
 * <p>
 * Every database has a {@code ledger} table and an {@code account} row whose
 * {@code balance} always equals the ledger's row count when a transaction commits: a copy
 * of any one committed state keeps that equality, a torn copy would not.
 */
public final class TestDatabase {

	private TestDatabase() {
	}

	/**
	 * Create a database file.
	 * @param file the file to create
	 * @param journalMode {@code wal} or {@code delete}
	 * @param pageSize the page size in bytes
	 * @param approximateBytes roughly how large to make it
	 * @return the file
	 */
	public static Path create(Path file, String journalMode, int pageSize, long approximateBytes) throws SQLException {
		try (Connection connection = connect(file)) {
			try (Statement statement = connection.createStatement()) {
				statement.execute("PRAGMA page_size=" + pageSize);
				statement.execute("PRAGMA journal_mode=" + journalMode);
				statement.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
						+ "price REAL, data BLOB)");
				statement.execute("CREATE INDEX item_name ON item(name)");
				statement.execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY, amount INTEGER, note TEXT)");
				statement.execute("CREATE TABLE account (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)");
				statement.execute("INSERT INTO account VALUES (1, 0)");
			}
			connection.setAutoCommit(false);
			Random random = new Random(42);
			int rowBytes = 1200;
			long rows = Math.max(10, approximateBytes / rowBytes);
			try (PreparedStatement insert = connection
				.prepareStatement("INSERT INTO item (name, price, data) VALUES (?, ?, ?)")) {
				for (long i = 0; i < rows; i++) {
					insert.setString(1, "item-" + Long.toString(random.nextLong(), 36));
					insert.setDouble(2, random.nextInt(100_000) / 100.0);
					byte[] data = new byte[1000];
					random.nextBytes(data);
					insert.setBytes(3, data);
					insert.addBatch();
					if (i % 1000 == 999) {
						insert.executeBatch();
					}
				}
				insert.executeBatch();
			}
			connection.commit();
		}
		return file;
	}

	/**
	 * Open a plain connection with a busy timeout.
	 * @param file the database file
	 * @return the connection
	 */
	public static Connection connect(Path file) throws SQLException {
		Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
		try (Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA busy_timeout=10000");
		}
		return connection;
	}

	/**
	 * Create a HikariCP pool over a database file.
	 * @param file the database file
	 * @param maximumPoolSize the pool size
	 * @return the pool
	 */
	public static HikariDataSource pool(Path file, int maximumPoolSize) {
		return pool(file, maximumPoolSize, "PRAGMA busy_timeout=10000");
	}

	/**
	 * Create a HikariCP pool over a database file.
	 * @param file the database file
	 * @param maximumPoolSize the pool size
	 * @param connectionInitSql SQL run on each new connection
	 * @return the pool
	 */
	public static HikariDataSource pool(Path file, int maximumPoolSize, String connectionInitSql) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl("jdbc:sqlite:" + file);
		config.setMaximumPoolSize(maximumPoolSize);
		config.setConnectionInitSql(connectionInitSql);
		config.setPoolName("test-" + file.getFileName());
		return new HikariDataSource(config);
	}

	/**
	 * Return a fingerprint of a database's logical content: its schema and every row of
	 * every table in rowid order.
	 * @param file the database file
	 * @return a SHA-256 hex string
	 */
	public static String fingerprint(Path file) throws SQLException {
		try (Connection connection = connect(file)) {
			return fingerprint(connection);
		}
	}

	/**
	 * Return a fingerprint of the logical content of a connection's main schema.
	 * @param connection the connection
	 * @return a SHA-256 hex string
	 */
	public static String fingerprint(Connection connection) throws SQLException {
		MessageDigest digest = sha256();
		List<String> tables = new ArrayList<>();
		try (Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(
						"SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name")) {
			while (rows.next()) {
				update(digest, rows);
				if ("table".equals(rows.getString(1))) {
					tables.add(rows.getString(2));
				}
			}
		}
		for (String table : tables) {
			try (Statement statement = connection.createStatement();
					ResultSet rows = statement.executeQuery("SELECT * FROM \"" + table + "\" ORDER BY rowid")) {
				while (rows.next()) {
					update(digest, rows);
				}
			}
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	/**
	 * Run {@code PRAGMA integrity_check} on a file.
	 * @param file the database file
	 * @return {@code ok} or the problems
	 */
	public static String integrityCheck(Path file) throws SQLException {
		try (Connection connection = connect(file); Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("PRAGMA integrity_check")) {
			rows.next();
			return rows.getString(1);
		}
	}

	/**
	 * Assert the ledger invariant of a database: the account balance equals the ledger's
	 * row count.
	 * @param connection the connection
	 * @return the number of ledger rows
	 * @throws AssertionError if the copy is not one committed state
	 */
	public static long checkLedger(Connection connection) throws SQLException {
		long balance = queryLong(connection, "SELECT balance FROM account WHERE id = 1");
		long entries = queryLong(connection, "SELECT count(*) FROM ledger");
		if (balance != entries) {
			throw new AssertionError("Torn copy: balance " + balance + " but " + entries + " ledger rows");
		}
		return entries;
	}

	/**
	 * Run a query that returns one number.
	 * @param connection the connection
	 * @param sql the query
	 * @return the number
	 */
	public static long queryLong(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
			rows.next();
			return rows.getLong(1);
		}
	}

	/**
	 * Damage the live database the way failing storage does: overwrite the root page of
	 * the {@code item_name} index with garbage. Queries that do not use that index still
	 * work, and the Online Backup API copies the damaged page faithfully.
	 * @param file the database file (in rollback-journal mode, so the page is in the file)
	 */
	public static void damageIndexPage(Path file) throws SQLException, IOException {
		long rootPage;
		int pageSize;
		try (Connection connection = connect(file)) {
			rootPage = queryLong(connection, "SELECT rootpage FROM sqlite_schema WHERE name = 'item_name'");
			pageSize = (int) queryLong(connection, "PRAGMA page_size");
		}
		byte[] garbage = new byte[pageSize];
		java.util.Arrays.fill(garbage, (byte) 0x5a);
		try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
				java.nio.file.StandardOpenOption.WRITE)) {
			channel.write(java.nio.ByteBuffer.wrap(garbage), (rootPage - 1) * pageSize);
		}
	}

	/**
	 * Return the SHA-256 of a file's bytes.
	 * @param file the file
	 * @return the hex digest
	 */
	public static String sha256(Path file) throws IOException {
		return HexFormat.of().formatHex(sha256().digest(Files.readAllBytes(file)));
	}

	/**
	 * List the names of the files in a directory.
	 * @param directory the directory
	 * @return the names, sorted
	 */
	public static List<String> fileNames(Path directory) throws IOException {
		try (var files = Files.list(directory)) {
			return files.map((file) -> file.getFileName().toString()).sorted().toList();
		}
	}

	private static void update(MessageDigest digest, ResultSet rows) throws SQLException {
		ResultSetMetaData metadata = rows.getMetaData();
		for (int column = 1; column <= metadata.getColumnCount(); column++) {
			byte[] value = rows.getBytes(column);
			digest.update((value != null) ? value : "\0null".getBytes(StandardCharsets.UTF_8));
			digest.update((byte) 0x1f);
		}
		digest.update((byte) 0x1e);
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

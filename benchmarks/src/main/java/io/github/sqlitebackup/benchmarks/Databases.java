package io.github.sqlitebackup.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Generates the benchmark databases: 4 KiB pages, tables with indexes, text and blobs,
 * in a given journal mode, grown to a target size with SQL run inside SQLite.
 */
final class Databases {

	private static final long MIB = 1024 * 1024;

	private Databases() {
	}

	/**
	 * Create a database of about the given size, or reuse one made earlier.
	 * @param directory where to create it
	 * @param sizeMib the target size in MiB
	 * @param journalMode {@code wal} or {@code delete}
	 * @return the database file
	 */
	static Path create(Path directory, int sizeMib, String journalMode) throws SQLException, java.io.IOException {
		Path file = directory.resolve("db-" + sizeMib + "mib-" + journalMode + ".db");
		if (reusable(file, sizeMib)) {
			return file;
		}
		try (Connection connection = connect(file); Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA page_size=4096");
			statement.execute("PRAGMA journal_mode=" + journalMode);
			statement.execute("CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, created TEXT)");
			statement.execute("CREATE INDEX customer_email ON customer(email)");
			statement.execute("CREATE TABLE document (id INTEGER PRIMARY KEY, customer_id INTEGER, title TEXT, "
					+ "body TEXT, attachment BLOB)");
			statement.execute("CREATE INDEX document_customer ON document(customer_id)");
			statement.execute("CREATE INDEX document_title ON document(title)");
			statement.execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY, amount INTEGER, note TEXT)");
			// about 1.4 KiB per document row with its share of customers and indexes
			long rows = sizeMib * MIB / 1425;
			statement.execute("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < " + (rows / 10)
					+ ") INSERT INTO customer (name, email, created) SELECT 'customer ' || x, 'c' || x || '@example.com', "
					+ "datetime('now', '-' || (x % 1000) || ' days') FROM n");
			statement.execute("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < " + rows
					+ ") INSERT INTO document (customer_id, title, body, attachment) SELECT x % " + Math.max(1, rows / 10)
					+ " + 1, 'document ' || hex(randomblob(8)), hex(randomblob(200)), randomblob(900) FROM n");
		}
		return file;
	}

	/**
	 * Create a database of event rows (a timestamp, a kind and a JSON payload, as many
	 * applications log them) of about the given size, or reuse one made earlier.
	 * @param directory where to create it
	 * @param sizeMib the target size in MiB
	 * @return the database file
	 */
	static Path events(Path directory, int sizeMib) throws SQLException, java.io.IOException {
		Path file = directory.resolve("events-" + sizeMib + "mib.db");
		if (reusable(file, sizeMib)) {
			return file;
		}
		try (Connection connection = connect(file); Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA journal_mode=wal");
			statement.execute("CREATE TABLE event (id INTEGER PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL, "
					+ "payload TEXT NOT NULL)");
			statement.execute("CREATE INDEX event_at ON event(at)");
			long rows = sizeMib * MIB / 240;
			statement.execute("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < " + rows
					+ ") INSERT INTO event (at, kind, payload) SELECT datetime('2026-01-01', '+' || x || ' seconds'), "
					+ "'order.' || (CASE x % 4 WHEN 0 THEN 'created' WHEN 1 THEN 'paid' WHEN 2 THEN 'shipped' ELSE "
					+ "'delivered' END), printf('{\"orderId\":%d,\"customerId\":%d,\"amount\":%d.%02d,\"currency\":\"EUR\","
					+ "\"items\":[{\"sku\":\"SKU-%05d\",\"quantity\":%d}],\"channel\":\"web\",\"trace\":\"%s\"}', x, "
					+ "abs(random()) % 100000, abs(random()) % 500, abs(random()) % 100, abs(random()) % 20000, "
					+ "1 + abs(random()) % 5, lower(hex(randomblob(8)))) FROM n");
		}
		return file;
	}

	/** Whether a database made by an earlier run has about the size asked for; else it is deleted. */
	private static boolean reusable(Path file, int sizeMib) throws java.io.IOException {
		if (Files.exists(file) && Files.size(file) >= sizeMib * MIB * 9 / 10) {
			return true;
		}
		Files.deleteIfExists(file);
		return false;
	}

	static Connection connect(Path file) throws SQLException {
		Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
		try (Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA busy_timeout=10000");
		}
		return connection;
	}

	/**
	 * Delete a database file and its side files, if there.
	 * @param database the database file
	 */
	static void delete(Path database) throws java.io.IOException {
		for (String suffix : List.of("", "-journal", "-wal", "-shm")) {
			Files.deleteIfExists(database.resolveSibling(database.getFileName() + suffix));
		}
	}

}

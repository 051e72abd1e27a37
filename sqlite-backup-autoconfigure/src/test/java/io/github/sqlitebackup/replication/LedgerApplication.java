package io.github.sqlitebackup.replication;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import io.github.sqlitebackup.autoconfigure.SqliteBackupAutoConfiguration;
import io.github.sqlitebackup.autoconfigure.SqliteBackupReplicationAutoConfiguration;

/**
 * The application {@link ReplicationLedgerTests} kills: a Spring Boot application with
 * replication on whose writers commit numbered ledger transactions through the HikariCP
 * pool until the process dies, printing {@code BEGIN writer n millis} before each one and
 * {@code ACK writer n seq millis} once its commit returned. Every tenth transaction is
 * rolled back instead (its entry has a negative number and must never be seen).
 */
public final class LedgerApplication {

	/** How many writers commit at once. */
	static final int WRITERS = 3;

	private static final PrintStream out = new PrintStream(System.out, true);

	private LedgerApplication() {
	}

	/**
	 * Create the ledger's tables in a WAL database.
	 * @param connection a connection to the database
	 * @throws SQLException if they cannot be created
	 */
	static void createSchema(Connection connection) throws SQLException {
		try (var statement = connection.createStatement()) {
			statement.execute("PRAGMA journal_mode=WAL");
			statement.execute("CREATE TABLE entry (seq INTEGER PRIMARY KEY, writer INTEGER NOT NULL, "
					+ "n INTEGER NOT NULL, payload BLOB NOT NULL, UNIQUE (writer, n))");
			statement.execute("CREATE TABLE account (writer INTEGER PRIMARY KEY, entries INTEGER NOT NULL, "
					+ "bytes INTEGER NOT NULL)");
			statement.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL)");
			statement.execute("INSERT INTO counter VALUES (1, 0)");
			for (int writer = 1; writer <= WRITERS; writer++) {
				statement.execute("INSERT INTO account VALUES (" + writer + ", 0, 0)");
			}
		}
	}

	/**
	 * Return the payload of a writer's n-th entry: mostly a few hundred bytes, one in ten
	 * large enough to need overflow pages, always the same bytes for the same entry.
	 * @param writer the writer
	 * @param n the entry's number
	 * @return the payload
	 */
	static byte[] payload(int writer, long n) {
		Random random = new Random(writer * 1_000_003L + n);
		byte[] payload = new byte[(random.nextInt(10) == 0) ? 4_000 + random.nextInt(40_000)
				: 50 + random.nextInt(300)];
		random.nextBytes(payload);
		return payload;
	}

	/**
	 * Run the application.
	 * @param args the database file, the backup directory, the sync interval
	 */
	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(Config.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		ConfigurableApplicationContext context = application.run("--spring.datasource.url=jdbc:sqlite:" + args[0],
				"--sqlite.backup.directory=" + args[1], "--sqlite.backup.replication.enabled=true",
				"--sqlite.backup.replication.sync-interval=" + args[2], "--spring.main.banner-mode=off",
				"--logging.level.root=WARN");
		DataSource dataSource = context.getBean(DataSource.class);
		for (int writer = 1; writer <= WRITERS; writer++) {
			int id = writer;
			Thread thread = new Thread(() -> write(dataSource, id), "writer-" + id);
			thread.start();
		}
		out.println("READY " + System.currentTimeMillis());
	}

	private static void write(DataSource dataSource, int writer) {
		try (Connection connection = dataSource.getConnection()) {
			connection.setAutoCommit(false);
			long n = lastNumber(connection, writer);
			ThreadLocalRandom random = ThreadLocalRandom.current();
			while (true) {
				boolean rollback = random.nextInt(10) == 0;
				long number = rollback ? -(n + 1) : n + 1;
				if (!rollback) {
					out.println("BEGIN " + writer + " " + number + " " + System.currentTimeMillis());
				}
				try {
					long seq = commit(connection, writer, number, rollback);
					if (!rollback) {
						out.println("ACK " + writer + " " + number + " " + seq + " " + System.currentTimeMillis());
						n = number;
					}
				}
				catch (SQLException ex) {
					// busy: another writer holds the lock; nothing was committed, try again
					connection.rollback();
				}
				Thread.sleep(random.nextInt(25));
			}
		}
		catch (Exception ex) {
			ex.printStackTrace(out);
			out.println("FAILED " + writer);
		}
	}

	private static long lastNumber(Connection connection, int writer) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("SELECT entries FROM account WHERE writer = ?")) {
			statement.setInt(1, writer);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				long n = result.getLong(1);
				connection.commit();
				return n;
			}
		}
	}

	private static long commit(Connection connection, int writer, long number, boolean rollback) throws SQLException {
		long seq;
		try (PreparedStatement counter = connection
			.prepareStatement("UPDATE counter SET seq = seq + 1 WHERE id = 1 RETURNING seq");
				ResultSet result = counter.executeQuery()) {
			result.next();
			seq = result.getLong(1);
		}
		byte[] payload = payload(writer, Math.abs(number));
		try (PreparedStatement entry = connection.prepareStatement("INSERT INTO entry VALUES (?, ?, ?, ?)")) {
			entry.setLong(1, seq);
			entry.setInt(2, writer);
			entry.setLong(3, number);
			entry.setBytes(4, payload);
			entry.executeUpdate();
		}
		try (PreparedStatement account = connection
			.prepareStatement("UPDATE account SET entries = entries + 1, bytes = bytes + ? WHERE writer = ?")) {
			account.setLong(1, payload.length);
			account.setInt(2, writer);
			account.executeUpdate();
		}
		if (rollback) {
			connection.rollback();
		}
		else {
			connection.commit();
		}
		return seq;
	}

	/** The parts of Spring Boot the application uses. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, SqliteBackupAutoConfiguration.class,
			SqliteBackupReplicationAutoConfiguration.class })
	static class Config {

	}

}

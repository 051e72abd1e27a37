package io.github.sqlitebackup.sample.e2e;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app's data directory as the tests see it from outside the process: its
 * notes database and its backup directory, read with plain files and the {@code sqlite3}
 * shell.
 */
final class DataDirectory {

	private DataDirectory() {
	}

	/**
	 * Add notes in one transaction, creating the table first when the app has not yet.
	 * @param database the notes database
	 * @param count how many notes of about 220 bytes
	 */
	static void addBulkNotes(Path database, int count) throws Exception {
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database)) {
			try (Statement statement = connection.createStatement()) {
				statement.execute("PRAGMA journal_mode=WAL");
				statement.execute("CREATE TABLE IF NOT EXISTS note (id INTEGER PRIMARY KEY, text TEXT NOT NULL)");
			}
			connection.setAutoCommit(false);
			try (PreparedStatement insert = connection.prepareStatement("INSERT INTO note (text) VALUES (?)")) {
				for (int i = 0; i < count; i++) {
					insert.setString(1, "bulk note " + i + " " + "x".repeat(200));
					insert.addBatch();
				}
				insert.executeBatch();
			}
			connection.commit();
		}
	}

	/**
	 * Return the names of the backup files in a directory.
	 * @param backups the backup directory
	 * @return the sorted names of its {@code .db} files
	 */
	static List<String> published(Path backups) throws Exception {
		return names(backups, (name) -> name.endsWith(".db"));
	}

	/**
	 * Return the names of the temporary files in a directory.
	 * @param directory the directory
	 * @return the sorted names of staging files and their side files
	 */
	static List<String> stagingFiles(Path directory) throws Exception {
		return names(directory, (name) -> name.contains(".sqlite-backup-tmp"));
	}

	/**
	 * Return the names of the files in a directory that match.
	 * @param directory the directory
	 * @param filter which names
	 * @return the sorted names
	 */
	static List<String> names(Path directory, Predicate<String> filter) throws Exception {
		try (var files = Files.list(directory)) {
			return files.map((file) -> file.getFileName().toString()).filter(filter).sorted().toList();
		}
	}

	/**
	 * Run SQL with the {@code sqlite3} shell on a database, read-only.
	 * @param database the database
	 * @param sql the SQL
	 * @return what the shell printed
	 */
	static String sqlite3(Path database, String sql) throws Exception {
		Process process = new ProcessBuilder("sqlite3", "-readonly", database.toString(), sql).redirectErrorStream(true)
			.start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
	}

}

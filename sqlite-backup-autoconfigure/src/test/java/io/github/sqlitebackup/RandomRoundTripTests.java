package io.github.sqlitebackup;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sqlite.SQLiteDataSource;

import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 200 randomly generated databases (random schemas and column types, NULLs, large blobs
 * on overflow pages, indexes, WITHOUT ROWID tables, page sizes from 1 KiB to 64 KiB, WAL
 * and rollback journals) go through backup and restore; the restored database must have
 * exactly the source's logical content and pass {@code PRAGMA integrity_check}.
 */
class RandomRoundTripTests {

	private static final int[] PAGE_SIZES = { 1024, 2048, 4096, 8192, 16384, 32768, 65536 };

	private static final String[] TYPES = { "INTEGER", "REAL", "TEXT", "BLOB", "NUMERIC", "" };

	@TempDir
	Path dir;

	@ParameterizedTest(name = "seeds {0}..{0}+49")
	@ValueSource(ints = { 0, 50, 100, 150 })
	void backupThenRestoreGivesIdenticalContent(int firstSeed) throws Exception {
		for (int seed = firstSeed; seed < firstSeed + 50; seed++) {
			roundTrip(seed);
		}
	}

	private void roundTrip(int seed) throws Exception {
		Random random = new Random(seed);
		int pageSize = PAGE_SIZES[random.nextInt(PAGE_SIZES.length)];
		String journalMode = random.nextBoolean() ? "wal" : "delete";
		Path source = this.dir.resolve("source-" + seed + ".db");
		Path backup = this.dir.resolve("backup-" + seed + ".db");
		Path target = this.dir.resolve("target-" + seed + ".db");
		try (Connection connection = TestDatabase.connect(source)) {
			generate(connection, random, pageSize, journalMode);
		}
		try (Connection connection = TestDatabase.connect(target); Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA page_size=" + pageSize);
			statement.execute("PRAGMA journal_mode=" + journalMode);
			statement.execute("CREATE TABLE previous_content (x)");
			statement.execute("INSERT INTO previous_content VALUES ('to be replaced')");
		}
		BackupOptions options = BackupOptions.defaults().withStepSize(random.nextBoolean() ? -1 : 1 + random.nextInt(50));
		new SqliteBackupTemplate(dataSource(source)).backup(backup, options);
		new SqliteBackupTemplate(dataSource(target)).restore(backup, options);
		String description = "seed " + seed + " (page size " + pageSize + ", " + journalMode + ")";
		assertThat(dump(target)).as(description).isEqualTo(dump(source));
		assertThat(TestDatabase.integrityCheck(backup)).as(description).isEqualTo("ok");
		assertThat(TestDatabase.integrityCheck(target)).as(description).isEqualTo("ok");
		for (Path file : List.of(source, backup, target)) {
			for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
				Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
			}
		}
	}

	private static void generate(Connection connection, Random random, int pageSize, String journalMode)
			throws Exception {
		try (Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA page_size=" + pageSize);
			statement.execute("PRAGMA journal_mode=" + journalMode);
			int tables = 1 + random.nextInt(4);
			for (int t = 0; t < tables; t++) {
				int columns = 1 + random.nextInt(6);
				boolean withoutRowid = random.nextInt(3) == 0;
				List<String> definitions = new ArrayList<>();
				for (int c = 0; c < columns; c++) {
					definitions.add("c" + c + " " + TYPES[random.nextInt(TYPES.length)]);
				}
				String key = withoutRowid ? ", PRIMARY KEY (c0)" : "";
				statement.execute("CREATE TABLE t" + t + " (" + String.join(", ", definitions) + key + ")"
						+ (withoutRowid ? " WITHOUT ROWID" : ""));
				if (random.nextBoolean()) {
					statement.execute("CREATE INDEX t" + t + "_i ON t" + t + " (c" + random.nextInt(columns) + ")");
				}
				insertRows(connection, random, t, columns, withoutRowid);
			}
			statement.execute("PRAGMA user_version=" + random.nextInt(1000));
		}
	}

	private static void insertRows(Connection connection, Random random, int table, int columns, boolean withoutRowid)
			throws Exception {
		String placeholders = String.join(", ", java.util.Collections.nCopies(columns, "?"));
		connection.setAutoCommit(false);
		try (PreparedStatement insert = connection
			.prepareStatement("INSERT OR IGNORE INTO t" + table + " VALUES (" + placeholders + ")")) {
			int rows = random.nextInt(150);
			for (int row = 0; row < rows; row++) {
				for (int c = 0; c < columns; c++) {
					Object value = (withoutRowid && c == 0) ? (Object) ("key-" + row) : randomValue(random);
					insert.setObject(c + 1, value);
				}
				insert.executeUpdate();
			}
		}
		connection.commit();
		connection.setAutoCommit(true);
	}

	private static Object randomValue(Random random) {
		return switch (random.nextInt(8)) {
			case 0 -> null;
			case 1 -> random.nextLong();
			case 2 -> (random.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE);
			case 3 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
			case 4 -> "";
			case 5 -> new String(randomCodePoints(random), 0, 1 + random.nextInt(20));
			case 6 -> randomBytes(random, random.nextInt(20));
			default -> randomBytes(random, random.nextInt(20_000));
		};
	}

	private static int[] randomCodePoints(Random random) {
		int[] codePoints = new int[21];
		for (int i = 0; i < codePoints.length; i++) {
			codePoints[i] = random.nextBoolean() ? 32 + random.nextInt(95) : 0x400 + random.nextInt(0x2000);
		}
		return codePoints;
	}

	private static byte[] randomBytes(Random random, int length) {
		byte[] bytes = new byte[length];
		random.nextBytes(bytes);
		return bytes;
	}

	private static SQLiteDataSource dataSource(Path file) {
		SQLiteDataSource dataSource = new SQLiteDataSource();
		dataSource.setUrl("jdbc:sqlite:" + file);
		return dataSource;
	}

	/**
	 * A full logical dump: the schema, user_version and every row of every table in a
	 * total order, each value as SQL literal with its storage class.
	 */
	private static List<String> dump(Path file) throws Exception {
		List<String> lines = new ArrayList<>();
		try (Connection connection = TestDatabase.connect(file)) {
			lines.add("user_version " + TestDatabase.queryLong(connection, "PRAGMA user_version"));
			List<String> tables = new ArrayList<>();
			try (Statement statement = connection.createStatement();
					ResultSet rows = statement
						.executeQuery("SELECT type, name, sql FROM sqlite_schema ORDER BY type, name")) {
				while (rows.next()) {
					lines.add(rows.getString(1) + " " + rows.getString(2) + " " + rows.getString(3));
					if ("table".equals(rows.getString(1))) {
						tables.add(rows.getString(2));
					}
				}
			}
			for (String table : tables) {
				List<String> columns = new ArrayList<>();
				try (Statement statement = connection.createStatement();
						ResultSet info = statement.executeQuery("SELECT name FROM pragma_table_info('" + table + "')")) {
					while (info.next()) {
						columns.add('"' + info.getString(1) + '"');
					}
				}
				String values = columns.stream().map((c) -> "typeof(" + c + ") || ':' || quote(" + c + ")")
					.reduce((a, b) -> a + " || ',' || " + b).orElseThrow();
				String order = String.join(", ", columns);
				try (Statement statement = connection.createStatement();
						ResultSet rows = statement
							.executeQuery("SELECT " + values + " FROM \"" + table + "\" ORDER BY " + order)) {
					while (rows.next()) {
						lines.add(table + ": " + new String(rows.getBytes(1), StandardCharsets.UTF_8));
					}
				}
			}
		}
		return lines;
	}

}

package io.github.sqlitebackup.benchmarks;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import org.sqlite.SQLiteDataSource;

import io.github.sqlitebackup.BackupOptions;
import io.github.sqlitebackup.BackupResult;
import io.github.sqlitebackup.CopyEngine;
import io.github.sqlitebackup.SqliteBackupTemplate;
import io.github.sqlitebackup.Verification;

/**
 * The ways of copying and restoring a database that the benchmark compares.
 */
final class CopyMethods {

	static final String CP = "cp + fsync";

	static final String SQLITE3 = "sqlite3 .backup";

	static final String SQLITE3_RESTORE = "sqlite3 .restore";

	private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(10);

	private static final String PYTHON_BACKUP = "import sqlite3, sys\n"
			+ "source = sqlite3.connect(sys.argv[1])\ntarget = sqlite3.connect(sys.argv[2])\n"
			+ "source.backup(target, pages=-1)\ntarget.close()\nsource.close()\n";

	private CopyMethods() {
	}

	/**
	 * A named way to copy {@code source} to {@code target}.
	 *
	 * @param name the name in the tables
	 * @param copy the copy
	 */
	record Method(String name, Copy copy) {

	}

	/**
	 * Copies a database file.
	 */
	@FunctionalInterface
	interface Copy {

		void copy(Path source, Path target) throws Exception;

	}

	static List<Method> backups() {
		return List.of(method(CP, CopyMethods::cp), method(SQLITE3, CopyMethods::sqlite3Backup),
				method("VACUUM INTO", CopyMethods::vacuumInto),
				method("Python sqlite3 backup (pages=-1)", CopyMethods::python),
				template(BackupOptions.ALL_PAGES, Verification.NONE),
				method(templateName(BackupOptions.ALL_PAGES, Verification.NONE) + ", Online Backup API",
						(source, target) -> template(source,
								BackupOptions.defaults().withCopyEngine(CopyEngine.ONLINE_BACKUP_API)
									.withVerification(Verification.NONE))
							.backup(target)),
				template(100, Verification.NONE),
				template(1000, Verification.NONE), template(BackupOptions.ALL_PAGES, Verification.QUICK));
	}

	static List<Method> restores() {
		return List.of(method(CP, CopyMethods::cp),
				method(SQLITE3_RESTORE, CopyMethods::sqlite3Restore),
				method("Python sqlite3 backup into live", CopyMethods::python),
				method("template restore (quick_check first)", (backup, live) -> template(live).restore(backup)));
	}

	static String templateName(int stepSize, Verification verification) {
		return "template step " + stepSize + ((verification == Verification.NONE) ? "" : " + " + verification.pragma());
	}

	static SqliteBackupTemplate template(Path database) {
		return new SqliteBackupTemplate(dataSource(database));
	}

	static SqliteBackupTemplate template(Path database, BackupOptions options) {
		return new SqliteBackupTemplate(dataSource(database), options);
	}

	private static SQLiteDataSource dataSource(Path database) {
		SQLiteDataSource dataSource = new SQLiteDataSource();
		dataSource.setUrl("jdbc:sqlite:" + database);
		return dataSource;
	}

	static BackupResult templateBackup(Path source, Path target, int stepSize, Verification verification) {
		return template(source).backup(target,
				BackupOptions.defaults().withStepSize(stepSize).withVerification(verification));
	}

	private static Method template(int stepSize, Verification verification) {
		return method(templateName(stepSize, verification),
				(source, target) -> templateBackup(source, target, stepSize, verification));
	}

	static void sqlite3Backup(Path source, Path target) throws Exception {
		Tools.run(TOOL_TIMEOUT, List.of("sqlite3", source.toString(), ".backup '" + target + "'"));
	}

	static void sqlite3Restore(Path backup, Path live) throws Exception {
		Tools.run(TOOL_TIMEOUT, List.of("sqlite3", live.toString(), ".restore '" + backup + "'"));
	}

	static void cp(Path source, Path target) throws Exception {
		Tools.run(TOOL_TIMEOUT, List.of("cp", source.toString(), target.toString()));
		Tools.run(TOOL_TIMEOUT, List.of("sync", target.toString()));
	}

	private static void vacuumInto(Path source, Path target) throws Exception {
		try (Connection connection = Databases.connect(source); Statement statement = connection.createStatement()) {
			statement.execute("VACUUM INTO '" + target.toString().replace("'", "''") + "'");
		}
	}

	private static void python(Path source, Path target) throws Exception {
		Tools.run(TOOL_TIMEOUT, List.of("python3", "-c", PYTHON_BACKUP, source.toString(), target.toString()));
	}

	private static Method method(String name, Copy copy) {
		return new Method(name, copy);
	}

}

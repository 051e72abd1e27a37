package io.github.sqlitebackup;

import java.nio.file.Path;
import java.time.Duration;

import org.sqlite.SQLiteDataSource;

/**
 * Run in its own JVM by {@link RestoreCrashTests}: restores a backup slowly into a
 * database, printing {@code PROGRESS <percent>} after each step, until it is killed.
 */
public final class RestoreCrashHarness {

	private RestoreCrashHarness() {
	}

	public static void main(String[] args) {
		SQLiteDataSource dataSource = new SQLiteDataSource();
		dataSource.setUrl("jdbc:sqlite:" + args[0]);
		new SqliteBackupTemplate(dataSource).restore(Path.of(args[1]),
				BackupOptions.defaults()
					.withStepSize(20)
					.withStepPause(Duration.ofMillis(2))
					.withProgress((progress) -> System.out.println("PROGRESS " + (int) progress.percentDone())));
		System.out.println("DONE");
	}

}

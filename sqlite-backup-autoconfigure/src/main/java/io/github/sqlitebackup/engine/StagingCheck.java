package io.github.sqlitebackup.engine;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.sqlite.SQLiteConnection;

import io.github.sqlitebackup.BackupCancelledException;
import io.github.sqlitebackup.SqliteBackupException;

/**
 * {@code PRAGMA quick_check} of a restore's private staging file, run on a connection and
 * a thread of its own while the restore copies the file into the live database: the copy
 * is one transaction, and its last step (the commit) waits for the check, so a damaged
 * backup is rolled back before anyone sees it, and a sound one costs no time for its check.
 */
final class StagingCheck {

	private final String source;

	private final CompletableFuture<List<String>> problems = new CompletableFuture<>();

	private StagingCheck(String source) {
		this.source = source;
	}

	/**
	 * Start checking a staging file.
	 * @param staging the staging file, which nothing writes to
	 * @param source the backup's description, for messages
	 * @return the running check
	 */
	static StagingCheck start(Path staging, String source) {
		StagingCheck check = new StagingCheck(source);
		Thread thread = new Thread(() -> {
			try (SQLiteConnection connection = SqliteConnections.openImmutable(staging)) {
				check.problems.complete(SqliteConnections.check(connection, "quick_check"));
			}
			catch (SQLException ex) {
				check.problems.complete(List.of(String.valueOf(ex.getMessage())));
			}
			catch (Throwable ex) {
				check.problems.completeExceptionally(ex);
			}
		}, "sqlite-backup-restore-check");
		thread.setDaemon(true);
		thread.start();
		return check;
	}

	/**
	 * Wait for the check and throw if the backup is damaged.
	 * @throws SqliteBackupException if the check found problems or could not run
	 * @throws BackupCancelledException if interrupted while waiting
	 */
	void requireSound() {
		List<String> found;
		try {
			found = this.problems.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BackupCancelledException("Restore from " + this.source + " was cancelled while its check ran; "
					+ "the live database was not changed.");
		}
		catch (ExecutionException ex) {
			found = List.of(String.valueOf(ex.getCause()));
		}
		if (!found.isEmpty()) {
			throw new SqliteBackupException("Restore source " + this.source + " is damaged (PRAGMA quick_check: "
					+ String.join("; ", found) + "); the live database was not changed.");
		}
	}

	/**
	 * Wait for the check to end, whatever it found, so that its connection is closed.
	 */
	void awaitEnd() {
		try {
			Uninterruptibly.get(this.problems);
		}
		catch (ExecutionException ex) {
			// ended all the same
		}
	}


}

package io.github.sqlitebackup.engine;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import org.sqlite.SQLiteConnection;

import io.github.sqlitebackup.BackupVerificationException;
import io.github.sqlitebackup.SqliteBackupException;
import io.github.sqlitebackup.Verification;

/**
 * Checks that a copy the driver reported as complete really is: the driver has returned
 * success for copies that did not happen.
 */
final class CopyChecks {

	private CopyChecks() {
	}

	/**
	 * Check a copied file against what the copy reported.
	 * @param copy the copied file
	 * @param stats what the copy reported
	 * @param pageSize the source's page size
	 * @return the copy's header
	 */
	static SqliteHeader checkCopy(Path copy, CopyStats stats, int pageSize) {
		SqliteHeader header = SqliteHeader.read(copy);
		if (header.pageCount() != Math.max(stats.pages(), 1) || header.pageSize() != pageSize) {
			throw new SqliteBackupException("The copy is incomplete: it has " + header.pageCount() + " pages of "
					+ header.pageSize() + " bytes, but the source had " + stats.pages() + " pages of " + pageSize
					+ " bytes. Nothing was published.");
		}
		return header;
	}

	/**
	 * Run the verification's pragma on a finished copy.
	 * @param copy the copy
	 * @param verification the check to run
	 * @return how long it took
	 * @throws BackupVerificationException if the copy fails the check
	 */
	static Duration verify(Path copy, Verification verification) {
		String pragma = verification.pragma();
		if (pragma == null) {
			return Duration.ZERO;
		}
		BackupLog.verifying(copy, pragma);
		long start = System.nanoTime();
		List<String> problems;
		try (SQLiteConnection connection = SqliteConnections.openImmutable(copy)) {
			problems = SqliteConnections.check(connection, pragma);
		}
		catch (SQLException ex) {
			problems = List.of(ex.getMessage());
		}
		if (!problems.isEmpty()) {
			throw new BackupVerificationException("The copy failed verification (PRAGMA " + pragma + ": "
					+ String.join("; ", problems) + "). Nothing was published. The live database may be damaged: "
					+ "run PRAGMA integrity_check on it.");
		}
		return Duration.ofNanos(System.nanoTime() - start);
	}

}

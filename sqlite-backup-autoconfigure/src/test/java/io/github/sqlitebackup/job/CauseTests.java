package io.github.sqlitebackup.job;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import io.github.sqlitebackup.BackupCancelledException;
import io.github.sqlitebackup.BackupVerificationException;
import io.github.sqlitebackup.DatabaseBusyException;
import io.github.sqlitebackup.DiskFullException;
import io.github.sqlitebackup.SqliteBackupException;
import io.github.sqlitebackup.job.BackupRunOutcome.Cause;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failure causes come from types and SQLite result codes, never from message text.
 */
class CauseTests {

	@Test
	void causesOfTypedFailures() {
		assertThat(Cause.of(new BackupVerificationException("x"))).isEqualTo(Cause.VERIFICATION);
		assertThat(Cause.of(new BackupCancelledException("x"))).isEqualTo(Cause.CANCELLED);
		assertThat(Cause.of(new DatabaseBusyException("x"))).isEqualTo(Cause.BUSY);
		assertThat(Cause.of(new DiskFullException("x"))).isEqualTo(Cause.DISK_FULL);
	}

	@Test
	void causesOfWrappedSqliteResultCodes() {
		assertThat(Cause.of(wrapped(SQLiteErrorCode.SQLITE_BUSY))).isEqualTo(Cause.BUSY);
		assertThat(Cause.of(wrapped(SQLiteErrorCode.SQLITE_LOCKED_SHAREDCACHE))).isEqualTo(Cause.BUSY);
		assertThat(Cause.of(wrapped(SQLiteErrorCode.SQLITE_FULL))).isEqualTo(Cause.DISK_FULL);
		assertThat(Cause.of(wrapped(SQLiteErrorCode.SQLITE_CORRUPT))).isEqualTo(Cause.ERROR);
	}

	@Test
	void messagesDoNotDecide() {
		assertThat(Cause.of(new SqliteBackupException("SQLITE_BUSY mentioned in passing"))).isEqualTo(Cause.ERROR);
		assertThat(Cause.of(new IOException("disk full, says the text"))).isEqualTo(Cause.ERROR);
	}

	private static SqliteBackupException wrapped(SQLiteErrorCode code) {
		return new SqliteBackupException("failed", new SQLiteException("failed", code));
	}

}

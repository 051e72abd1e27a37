package io.github.sqlitebackup.engine;

import java.nio.file.Path;

import io.github.sqlitebackup.SqliteBackupException;

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

}

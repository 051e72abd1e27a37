package io.github.sqlitebackup.engine;

import java.io.IOException;
import java.sql.SQLException;

/**
 * What differs between the directions of a copy: how it reacts to restarts and how it
 * makes the native copy loop stop.
 */
interface CopyHooks {

	/**
	 * Called after every step that did not finish the copy.
	 * @param restarts restarts so far
	 * @param copiedPages pages copied so far
	 * @throws SQLException if the reaction fails
	 * @throws IOException if the destination cannot be synced
	 */
	void afterStep(int restarts, long copiedPages) throws SQLException, IOException;

	/**
	 * Make the next {@code sqlite3_backup_step} fail with {@code SQLITE_BUSY}, which ends the
	 * driver's copy loop and rolls the destination back. Called again after each further
	 * step until it succeeds.
	 * @throws SQLException if it cannot be done yet
	 */
	void abort() throws SQLException;

}

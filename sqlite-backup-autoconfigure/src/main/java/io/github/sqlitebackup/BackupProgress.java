package io.github.sqlitebackup;

/**
 * The state of a copy after one {@code sqlite3_backup_step}.
 *
 * @param remainingPages pages still to copy
 * @param totalPages pages in the source database at this step
 * @param restarts how often the copy has started over so far because another connection
 * changed the source
 * @param done whether the copy is complete
 */
public record BackupProgress(long remainingPages, long totalPages, int restarts, boolean done) {

	/**
	 * Return how much of the copy is done.
	 * @return a percentage from 0 to 100
	 */
	public double percentDone() {
		if (this.totalPages == 0) {
			return this.done ? 100.0 : 0.0;
		}
		return 100.0 * (this.totalPages - this.remainingPages) / this.totalPages;
	}

}

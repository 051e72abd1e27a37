package io.github.sqlitebackup.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Explains failures that a full disk causes: the driver does not always report
 * {@code SQLITE_FULL} for a restore, so the free space is looked at directly.
 */
final class DiskSpace {

	/** Below this, a disk counts as full whatever the operation needed. */
	private static final long NEARLY_FULL = 1024 * 1024;

	private DiskSpace() {
	}

	/**
	 * Describe a shortage of space on the file system of a file, for appending to a
	 * message.
	 * @param file a file on the file system in question
	 * @param needed the bytes the operation had to write there, or 0 if unknown
	 * @return {@code ": the disk is full (...)"}, or an empty text when there is room
	 */
	static String shortage(Path file, long needed) {
		try {
			long free = Files.getFileStore(file.toAbsolutePath().getParent()).getUsableSpace();
			if (free < Math.max(needed, NEARLY_FULL)) {
				return ": the disk is full (SQLITE_FULL): " + free + " bytes free on the file system of " + file
						+ ((needed > 0) ? ", and this needs up to " + needed + " bytes for the -wal or -journal" : "")
						+ ". Free space there and try again";
			}
		}
		catch (IOException ex) {
			// no figure to add
		}
		return "";
	}

}

package io.github.sqlitebackup.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import io.github.sqlitebackup.SqliteBackupException;

/**
 * The facts a SQLite database file's 100-byte header states about it (see "Database File
 * Format", section 1.3, on sqlite.org).
 *
 * @param pageSize the page size in bytes
 * @param pageCount the number of pages, from the header when it is valid, else from the
 * file size
 * @param walMode whether the file is marked for write-ahead logging
 * @param fileSize the file's size in bytes
 * @param changeCounter the file change counter, which every commit in a rollback-journal
 * mode increments
 */
public record SqliteHeader(int pageSize, long pageCount, boolean walMode, long fileSize, long changeCounter) {

	private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

	private static final int HEADER_SIZE = 100;

	/**
	 * Read and check the header of a database file.
	 * @param file the file
	 * @return the header
	 * @throws SqliteBackupException if the file cannot be read or is not a SQLite database
	 */
	public static SqliteHeader read(Path file) {
		byte[] bytes;
		long fileSize;
		try (InputStream in = Files.newInputStream(file)) {
			bytes = in.readNBytes(HEADER_SIZE);
			fileSize = Files.size(file);
		}
		catch (IOException ex) {
			throw new SqliteBackupException("Cannot read " + file + ": " + ex, ex);
		}
		return parse(file, bytes, fileSize);
	}

	/**
	 * Read and check the header of a database that SQLite may have open in this process,
	 * without releasing its locks (see {@link LiveDatabaseFiles}).
	 * @param database the database file
	 * @return the header
	 * @throws SqliteBackupException if the file cannot be read or is not a SQLite database
	 */
	public static SqliteHeader readLive(Path database) {
		try {
			return parse(database, LiveDatabaseFiles.readStart(database, HEADER_SIZE), Files.size(database));
		}
		catch (IOException ex) {
			throw new SqliteBackupException("Cannot read " + database + ": " + ex, ex);
		}
	}

	private static SqliteHeader parse(Path file, byte[] bytes, long fileSize) {
		if (bytes.length < HEADER_SIZE || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
			throw new SqliteBackupException(file + " is not a SQLite database: "
					+ ((bytes.length < HEADER_SIZE) ? "it is only " + fileSize + " bytes long"
							: "it does not start with the header \"SQLite format 3\"")
					+ ".");
		}
		ByteBuffer header = ByteBuffer.wrap(bytes);
		int rawPageSize = Short.toUnsignedInt(header.getShort(16));
		int pageSize = (rawPageSize == 1) ? 65536 : rawPageSize;
		if (pageSize < 512 || Integer.bitCount(pageSize) != 1) {
			throw new SqliteBackupException(file + " is not a valid SQLite database: its header states a page size of "
					+ rawPageSize + ".");
		}
		boolean walMode = bytes[18] == 2 && bytes[19] == 2;
		long headerPageCount = Integer.toUnsignedLong(header.getInt(28));
		boolean headerCountValid = header.getInt(24) == header.getInt(92) && headerPageCount > 0;
		long pageCount = headerCountValid ? headerPageCount : fileSize / pageSize;
		return new SqliteHeader(pageSize, pageCount, walMode, fileSize, Integer.toUnsignedLong(header.getInt(24)));
	}

}

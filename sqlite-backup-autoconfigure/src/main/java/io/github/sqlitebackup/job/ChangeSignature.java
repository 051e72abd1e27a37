package io.github.sqlitebackup.job;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HexFormat;

import io.github.sqlitebackup.engine.LiveDatabaseFiles;

/**
 * A cheap fingerprint of a database's committed state, for {@code skip-if-unchanged}. It
 * is read from the files alone, without opening the database:
 * <ul>
 * <li>the database file's size, modification time and header (its first 100 bytes, which
 * hold the file change counter that every commit in a rollback-journal mode
 * increments);</li>
 * <li>the {@code -wal} file's size, modification time and header (whose salts change each
 * time the log restarts from its beginning).</li>
 * </ul>
 * A commit always changes one of these: in rollback-journal modes it rewrites the database
 * file and its change counter; in WAL mode it appends to the log (a larger file), or
 * rewrites the log from its start with new salts, and a checkpoint rewrites the database
 * file. A changed signature can also come from a checkpoint alone, which only costs one
 * unneeded backup; an unchanged signature means no commit happened.
 */
final class ChangeSignature {

	private static final int DATABASE_HEADER = 100;

	private static final int WAL_HEADER = 32;

	private ChangeSignature() {
	}

	/**
	 * Read the signature of a database.
	 * @param database the database file
	 * @return the signature
	 * @throws IOException if the database file cannot be read
	 */
	static String of(Path database) throws IOException {
		return describe(database, DATABASE_HEADER, true) + "|"
				+ describe(database.resolveSibling(database.getFileName() + "-wal"), WAL_HEADER, false);
	}

	private static String describe(Path file, int headerBytes, boolean database) throws IOException {
		try {
			BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
			byte[] header;
			if (database) {
				// never close a descriptor of the database: that would drop SQLite's locks on it
				header = LiveDatabaseFiles.readStart(file, headerBytes);
			}
			else {
				// SQLite keeps no locks on the log itself
				try (InputStream in = Files.newInputStream(file)) {
					header = in.readNBytes(headerBytes);
				}
			}
			return attributes.size() + ":" + attributes.lastModifiedTime().toInstant() + ":"
					+ HexFormat.of().formatHex(header);
		}
		catch (NoSuchFileException ex) {
			return "-";
		}
	}

}

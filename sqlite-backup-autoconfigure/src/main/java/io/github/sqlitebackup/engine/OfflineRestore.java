package io.github.sqlitebackup.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.LongConsumer;

import org.sqlite.SQLiteConnection;

import io.github.sqlitebackup.BackupVerificationException;
import io.github.sqlitebackup.SqliteBackupException;
import io.github.sqlitebackup.Verification;

/**
 * Restores a backup into a database file that no connection has open: a database that is
 * missing when the application starts, or a path the command-line tool writes to. This is
 * a file operation, not an online restore. The content goes to a private staging file
 * beside the target, is checked (the whole stream, the SQLite header, the verification's
 * pragma), made durable and renamed over the target in one step: the target is either as
 * it was or the whole checked backup, whatever happens in between.
 */
public final class OfflineRestore {

	private static final int BUFFER_SIZE = 1024 * 1024;

	private OfflineRestore() {
	}

	/**
	 * Restore a backup's content into a database file.
	 * @param content the plain SQLite file, which throws an {@link IOException} at its end
	 * if it is not the backup it claims to be; read to its end and not closed
	 * @param target the database file
	 * @param settings how to check and publish it
	 * @param progress told the number of bytes written so far, as they are written
	 * @return what was restored
	 * @throws IOException if the content cannot be read or is not what it claims to be;
	 * nothing was published
	 * @throws BackupVerificationException if the content is not an intact SQLite database;
	 * nothing was published
	 * @throws SqliteBackupException if the target is in the way or cannot be written
	 */
	public static Result restore(InputStream content, Path target, Settings settings, LongConsumer progress)
			throws IOException {
		return restore((staging) -> write(content, staging, progress), target, settings);
	}

	/**
	 * Restore a database that a writer builds in the private file, with the same checks and
	 * publication as {@link #restore(InputStream, Path, Settings, LongConsumer)}.
	 * @param content writes the database into the private file
	 * @param target the database file
	 * @param settings how to check and publish it
	 * @return what was restored
	 * @throws IOException if the content cannot be written; nothing was published
	 * @throws BackupVerificationException if the content is not an intact SQLite database;
	 * nothing was published
	 * @throws SqliteBackupException if the target is in the way or cannot be written
	 */
	public static Result restore(Content content, Path target, Settings settings) throws IOException {
		Path database = SqliteFiles.resolve(target);
		checkTarget(database, settings.mode());
		Path directory = database.getParent();
		try {
			Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new SqliteBackupException("Cannot create the database's directory " + directory + ": " + ex, ex);
		}
		try (StagingFile staging = StagingFile.create(directory, database.getFileName().toString())) {
			long start = System.nanoTime();
			long bytes = content.writeTo(staging.path());
			SqliteHeader header = checkHeader(staging.path(), bytes);
			Duration copy = Duration.ofNanos(System.nanoTime() - start);
			long checkStart = System.nanoTime();
			check(staging.path(), settings.verification());
			Duration check = Duration.ofNanos(System.nanoTime() - checkStart);
			journalMode(staging.path(), settings.walMode() ? "WAL" : "DELETE");
			checkTarget(database, settings.mode());
			deleteSideFiles(database);
			if (Files.exists(database, LinkOption.NOFOLLOW_LINKS)) {
				FileOwnership.copy(database, staging.path());
				staging.publish(database);
			}
			else {
				staging.publishIfAbsent(database);
			}
			return new Result(database, bytes, header.pageSize(), header.pageCount(), copy, check);
		}
	}

	/**
	 * Return whether a database file is missing: absent, or empty (as SQLite leaves a file
	 * it opened but never wrote).
	 * @param database the database file
	 * @return {@code true} if missing
	 */
	public static boolean isMissing(Path database) {
		try {
			return !Files.exists(database) || (Files.isRegularFile(database) && Files.size(database) == 0);
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void checkTarget(Path database, Mode mode) {
		if (Files.isDirectory(database)) {
			throw new SqliteBackupException("Cannot restore to " + database + ": it is a directory.");
		}
		if (mode == Mode.REPLACE) {
			return;
		}
		if (!isMissing(database)) {
			throw new SqliteBackupException("Cannot restore to " + database + ": the database file exists and is not "
					+ "empty; nothing was changed.");
		}
		for (String side : List.of("-wal", "-journal")) {
			Path file = database.resolveSibling(database.getFileName() + side);
			long size = sizeOf(file);
			if (size > 0) {
				throw new SqliteBackupException("Cannot restore to " + database + ": the database file is missing, but "
						+ file + " (" + size + " bytes) is beside it and SQLite would apply it to the restored file. "
						+ "It may hold the only copy of recent writes: move it away (or delete it) and start again.");
			}
		}
	}

	private static long sizeOf(Path file) {
		try {
			return Files.isRegularFile(file) ? Files.size(file) : 0;
		}
		catch (IOException ex) {
			return 0;
		}
	}

	private static long write(InputStream content, Path staging, LongConsumer progress) throws IOException {
		byte[] buffer = new byte[BUFFER_SIZE];
		long total = 0;
		try (FileChannel out = FileChannel.open(staging, StandardOpenOption.WRITE,
				StandardOpenOption.TRUNCATE_EXISTING);
				BackgroundSync sync = new BackgroundSync(out, "sqlite-backup-sync-" + staging.getFileName())) {
			int read;
			while ((read = content.readNBytes(buffer, 0, buffer.length)) > 0) {
				ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, read);
				while (chunk.hasRemaining()) {
					out.write(chunk);
				}
				total += read;
				sync.written(total);
				progress.accept(total);
			}
			sync.await();
		}
		catch (IOException ex) {
			if (ex.getMessage() != null && ex.getMessage().contains("No space left")) {
				throw new SqliteBackupException("Cannot restore to " + staging.getParent() + ": the disk is full ("
						+ total + " bytes written).", ex);
			}
			throw ex;
		}
		return total;
	}

	private static SqliteHeader checkHeader(Path file, long bytes) {
		SqliteHeader header;
		try {
			header = SqliteHeader.read(file);
		}
		catch (SqliteBackupException ex) {
			throw new BackupVerificationException("The backup is not a SQLite database: " + ex.getMessage());
		}
		if (header.pageCount() * header.pageSize() != bytes) {
			throw new BackupVerificationException("The backup has " + bytes + " bytes, but its header states "
					+ header.pageCount() + " pages of " + header.pageSize() + " bytes.");
		}
		return header;
	}

	private static void check(Path file, Verification verification) {
		String pragma = verification.pragma();
		if (pragma == null) {
			return;
		}
		List<String> problems;
		try (SQLiteConnection connection = SqliteConnections.openImmutable(file)) {
			problems = SqliteConnections.check(connection, pragma);
		}
		catch (SQLException ex) {
			problems = List.of(ex.getMessage());
		}
		if (!problems.isEmpty()) {
			throw new BackupVerificationException("The backup failed PRAGMA " + pragma + ": "
					+ String.join("; ", problems) + ".");
		}
	}

	/** Publish in the journal mode asked for, whatever the copied pages say (a replicated
	 * state carries its source's WAL mode). */
	private static void journalMode(Path file, String mode) {
		try (SQLiteConnection connection = SqliteConnections.open(file)) {
			SqliteConnections.execute(connection, "PRAGMA journal_mode=" + mode);
		}
		catch (SQLException ex) {
			throw new SqliteBackupException("Cannot switch the restored copy " + file + " to journal mode " + mode
					+ ": " + ex, ex);
		}
	}

	private static void deleteSideFiles(Path database) {
		for (Path file : SqliteFiles.withSideFiles(database)) {
			if (!file.equals(database)) {
				try {
					Files.deleteIfExists(file);
				}
				catch (IOException ex) {
					throw new SqliteBackupException("Cannot delete " + file + " before the restored database replaces "
							+ database + ": " + ex + ". Nothing was changed.", ex);
				}
			}
		}
	}

	/**
	 * Writes a database into the private file of a restore.
	 */
	@FunctionalInterface
	public interface Content {

		/**
		 * Write the whole database into the file, durably.
		 * @param staging the private file, empty
		 * @return the bytes written
		 * @throws IOException if it cannot be written
		 */
		long writeTo(Path staging) throws IOException;

	}

	/**
	 * Whether the target may exist.
	 */
	public enum Mode {

		/**
		 * The target must be missing (absent or empty) with no {@code -wal} or
		 * {@code -journal} beside it that holds anything.
		 */
		IF_MISSING,

		/**
		 * An existing target and its side files are replaced; nothing may have it open.
		 */
		REPLACE

	}

	/**
	 * How to check and publish a restored file.
	 *
	 * @param verification the check it must pass before it is published
	 * @param mode whether the target must be missing or may be replaced
	 * @param walMode whether to publish it in WAL mode (as the database it was copied from
	 * was; backups are stored with a rollback journal)
	 */
	public record Settings(Verification verification, Mode mode, boolean walMode) {
	}

	/**
	 * What an offline restore wrote.
	 *
	 * @param database the restored database file
	 * @param bytes its size
	 * @param pageSize its page size
	 * @param pages its page count
	 * @param copy how long reading, decoding and writing took
	 * @param check how long the verification took
	 */
	public record Result(Path database, long bytes, int pageSize, long pages, Duration copy, Duration check) {
	}

}

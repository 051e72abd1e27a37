package io.github.sqlitebackup.engine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.sqlitebackup.SqliteBackupException;

/**
 * A private database file that a copy is written to before it is published. It is created
 * with a unique name ending in {@value #SUFFIX} (owner-only permissions where the file
 * system has them) and, unless {@link #publish(Path) published}, deleted with its SQLite
 * side files on {@link #close()}. Publishing is durable and atomic: fsync of the file,
 * rename over the target, fsync of the directory.
 */
public final class StagingFile implements AutoCloseable {

	/** Name suffix of every staging file, so leftovers of a crashed run can be recognised. */
	public static final String SUFFIX = ".sqlite-backup-tmp";

	private static final Log logger = LogFactory.getLog(StagingFile.class);

	private final Path path;

	private boolean published;

	private StagingFile(Path path) {
		this.path = path;
	}

	/**
	 * Create a staging file in the given directory.
	 * @param directory where to create it (the target's directory, so the final rename is
	 * atomic)
	 * @param baseName a name the staging file's name starts with, for people reading the
	 * directory
	 * @return the staging file
	 */
	public static StagingFile create(Path directory, String baseName) {
		try {
			return new StagingFile(Files.createTempFile(directory, "." + baseName + ".", SUFFIX));
		}
		catch (IOException ex) {
			throw new SqliteBackupException("Cannot create a temporary file in " + directory + ": " + ex
					+ ". Check that the directory exists, is writable and has free space.", ex);
		}
	}

	/**
	 * Return whether a file name is that of a staging file or of one of its SQLite side
	 * files.
	 * @param fileName the file name
	 * @return {@code true} for a staging file's name
	 */
	public static boolean isStagingFileName(String fileName) {
		return fileName.startsWith(".") && Stream.of("", "-journal", "-wal", "-shm")
			.anyMatch((side) -> fileName.endsWith(SUFFIX + side));
	}

	/**
	 * Delete the staging files that an interrupted process left in a directory under a base
	 * name, with their side files.
	 * @param directory the directory
	 * @param baseName the base name they were {@link #create(Path, String) created} with
	 * @return the deleted files
	 */
	public static List<Path> removeLeftovers(Path directory, String baseName) {
		return removeLeftovers(directory, (name) -> name.startsWith("." + baseName + "."));
	}

	/**
	 * Delete the staging files that an interrupted process left in a directory, with their
	 * side files, if their names pass a filter.
	 * @param directory the directory
	 * @param filter which staging file names to delete
	 * @return the deleted files
	 */
	public static List<Path> removeLeftovers(Path directory, Predicate<String> filter) {
		List<Path> deleted = new ArrayList<>();
		try (Stream<Path> files = Files.list(directory)) {
			for (Path file : files.toList()) {
				String name = file.getFileName().toString();
				if (isStagingFileName(name) && filter.test(name) && Files.deleteIfExists(file)) {
					deleted.add(file);
				}
			}
		}
		catch (IOException ex) {
			logger.warn("Could not remove temporary files left in " + directory + " by an interrupted run: " + ex);
		}
		return deleted;
	}

	/**
	 * Return the staging file's path.
	 * @return the path
	 */
	public Path path() {
		return this.path;
	}

	/**
	 * Make the staging file durable and move it atomically to the target, replacing any file
	 * there.
	 * @param target the published path, in the same directory
	 */
	public void publish(Path target) {
		try {
			fsync(this.path, StandardOpenOption.WRITE);
			Files.move(this.path, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			this.published = true;
		}
		catch (AtomicMoveNotSupportedException ex) {
			throw new SqliteBackupException("Cannot publish " + target + " atomically: the file system does not support "
					+ "an atomic rename from " + this.path + ".", ex);
		}
		catch (IOException ex) {
			throw new SqliteBackupException("Cannot publish backup " + target + ": " + ex, ex);
		}
		fsyncDirectory(target.toAbsolutePath().getParent());
	}

	/**
	 * Make the staging file durable and link it atomically to the target only if no file
	 * is there, so that a file that another process created meanwhile is never replaced.
	 * @param target the published path, in the same directory
	 * @throws SqliteBackupException if a file appeared at the target (nothing was changed)
	 * or it cannot be published
	 */
	public void publishIfAbsent(Path target) {
		try {
			fsync(this.path, StandardOpenOption.WRITE);
			Files.createLink(target, this.path);
		}
		catch (FileAlreadyExistsException ex) {
			throw new SqliteBackupException("Cannot publish " + target + ": a file appeared there while it was being "
					+ "written (another restore or the application?); nothing was changed.", ex);
		}
		catch (UnsupportedOperationException | IOException ex) {
			// no hard links here (some network and FAT file systems): check, then rename
			logger.debug("Cannot link " + this.path + " to " + target + ", renaming it: " + ex);
			if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
				throw new SqliteBackupException("Cannot publish " + target + ": a file appeared there while it was "
						+ "being written (another restore or the application?); nothing was changed.", ex);
			}
			publish(target);
			return;
		}
		this.published = true;
		fsyncDirectory(target.toAbsolutePath().getParent());
		try {
			Files.delete(this.path);
		}
		catch (IOException ex) {
			logger.warn("Could not delete temporary file " + this.path + " (a second name of " + target + "): " + ex);
		}
	}

	@Override
	public void close() {
		if (!this.published) {
			deleteWithSideFiles(this.path);
		}
	}

	/**
	 * Delete a database file and its {@code -journal}, {@code -wal} and {@code -shm} side
	 * files, logging what cannot be deleted.
	 * @param database the database file
	 */
	static void deleteWithSideFiles(Path database) {
		for (Path file : SqliteFiles.withSideFiles(database)) {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				logger.warn("Could not delete temporary file " + file + ": " + ex);
			}
		}
	}

	private static void fsync(Path path, StandardOpenOption mode) throws IOException {
		try (FileChannel channel = FileChannel.open(path, mode)) {
			channel.force(true);
		}
	}

	private static void fsyncDirectory(Path directory) {
		try {
			fsync(directory, StandardOpenOption.READ);
		}
		catch (IOException ex) {
			// Some platforms (Windows) cannot open a directory for fsync; the rename stands.
			logger.debug("Could not fsync directory " + directory + ": " + ex);
		}
	}

}

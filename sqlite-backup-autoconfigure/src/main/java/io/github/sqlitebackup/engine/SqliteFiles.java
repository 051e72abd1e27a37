package io.github.sqlitebackup.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * File-level facts about SQLite databases: their side files and whether two paths name the
 * same database.
 */
final class SqliteFiles {

	private static final List<String> SIDE_FILE_SUFFIXES = List.of("-journal", "-wal", "-shm");

	private SqliteFiles() {
	}

	/**
	 * Return the database file followed by its possible side files.
	 * @param database the database file
	 * @return the file, its {@code -journal}, {@code -wal} and {@code -shm}
	 */
	static List<Path> withSideFiles(Path database) {
		String name = database.getFileName().toString();
		return List.of(database, database.resolveSibling(name + SIDE_FILE_SUFFIXES.get(0)),
				database.resolveSibling(name + SIDE_FILE_SUFFIXES.get(1)),
				database.resolveSibling(name + SIDE_FILE_SUFFIXES.get(2)));
	}

	/**
	 * Return whether a path names the database file or one of its side files, following
	 * relative paths, symbolic links and hard links.
	 * @param candidate the path to check (need not exist)
	 * @param database the live database file
	 * @return {@code true} if writing or deleting {@code candidate} would touch the database
	 */
	static boolean isDatabaseOrSideFile(Path candidate, Path database) {
		Path resolvedCandidate = resolve(candidate);
		Path resolvedDatabase = resolve(database);
		for (Path file : withSideFiles(resolvedDatabase)) {
			if (file.equals(resolvedCandidate) || sameExistingFile(candidate, file)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Resolve a path through symbolic links as far as it exists: an existing file to its
	 * real path, a missing file to its real parent plus its name.
	 * @param path the path
	 * @return the resolved absolute path
	 */
	static Path resolve(Path path) {
		Path absolute = path.toAbsolutePath().normalize();
		try {
			return absolute.toRealPath();
		}
		catch (IOException ex) {
			Path parent = absolute.getParent();
			if (parent == null || absolute.getFileName() == null) {
				return absolute;
			}
			return resolve(parent).resolve(absolute.getFileName());
		}
	}

	private static boolean sameExistingFile(Path a, Path b) {
		if (!Files.exists(a) || !Files.exists(b, LinkOption.NOFOLLOW_LINKS)) {
			return false;
		}
		try {
			return Files.isSameFile(a, b);
		}
		catch (IOException ex) {
			return false;
		}
	}

}

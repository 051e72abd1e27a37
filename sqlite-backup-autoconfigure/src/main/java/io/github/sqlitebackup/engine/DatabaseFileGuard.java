package io.github.sqlitebackup.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import io.github.sqlitebackup.SqliteBackupException;

/**
 * Notices when a database file is replaced behind the application's back ({@code mv
 * other.db app.db}): the application's connections keep the file they opened, but a new
 * connection opened by path would get the replacement. Backing that up would copy the
 * wrong database, and closing the engine's connection, the only one on the new file, would
 * checkpoint the application's {@code -wal} into it and delete it.
 * <p>
 * The guard remembers each file's identity (device and inode, or what the platform offers
 * as a file key) when it first sees it, and refuses a file whose identity has changed since.
 */
public final class DatabaseFileGuard {

	private final Map<Path, Object> identities = new ConcurrentHashMap<>();

	/**
	 * Remember a database file's identity if it is seen for the first time, else check that
	 * it is still the same file.
	 * @param database the live database file
	 * @throws SqliteBackupException if the file at that path is not the one first seen
	 */
	public void check(Path database) {
		Object identity = identityOf(database);
		if (identity == null) {
			return;
		}
		Object known = this.identities.putIfAbsent(database, identity);
		if (known != null && !known.equals(identity)) {
			throw new SqliteBackupException("The database file " + database + " is no longer the file the application "
					+ "opened (file identity " + known + ", now " + identity + "): it was replaced or moved behind the "
					+ "application's back. Nothing was done, so that neither file is changed; restart the application "
					+ "to work on the file now at that path, or move the original back.");
		}
	}

	private static @Nullable Object identityOf(Path database) {
		try {
			return Files.readAttributes(database, BasicFileAttributes.class).fileKey();
		}
		catch (IOException ex) {
			throw new SqliteBackupException("Cannot read the database file " + database + ": " + ex, ex);
		}
	}

}

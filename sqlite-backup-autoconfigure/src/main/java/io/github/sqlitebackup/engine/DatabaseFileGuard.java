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
 * It also remembers which file stores each schema, so that later operations open their own
 * connection to it without borrowing one of the application's pooled connections: a
 * restore's safety backup runs while writers hold every pooled connection waiting for the
 * restore's lock.
 */
public final class DatabaseFileGuard {

	private final Map<Path, Object> identities = new ConcurrentHashMap<>();

	private final Map<String, Location> locations = new ConcurrentHashMap<>();

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

	/**
	 * Return where a schema is stored, if an earlier operation found it in a file.
	 * @param schema the schema as the caller names it
	 * @return its name as the database reports it and its file, or {@code null}
	 */
	@Nullable Location location(String schema) {
		return this.locations.get(schema);
	}

	/**
	 * Remember where a schema is stored.
	 * @param schema the schema as the caller names it
	 * @param location its name as the database reports it and its file
	 */
	void remember(String schema, Location location) {
		this.locations.putIfAbsent(schema, location);
	}

	private static @Nullable Object identityOf(Path database) {
		try {
			return Files.readAttributes(database, BasicFileAttributes.class).fileKey();
		}
		catch (IOException ex) {
			throw new SqliteBackupException("Cannot read the database file " + database + ": " + ex, ex);
		}
	}

	/**
	 * Where a file-backed schema is stored.
	 *
	 * @param name the schema's name as the database reports it
	 * @param file its file
	 */
	record Location(String name, Path file) {
	}

}

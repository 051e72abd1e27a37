package io.github.sqlitebackup.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A place where backups and their manifests are kept: a flat set of immutable objects,
 * each named by a {@link StorageKeys key}. One small interface per backend (the local
 * directory, later object stores), in the manner of Litestream's replica clients; every
 * implementation passes the same contract test suite.
 * <ul>
 * <li>An object becomes visible to {@link #list()}, {@link #stat(String)} and
 * {@link #open(String)} only once it is complete: a reader never sees part of one.</li>
 * <li>Objects are never overwritten: writing a key that exists fails with
 * {@link ObjectExistsException} and leaves the existing object as it was.</li>
 * <li>Only objects this storage could have written are seen: for a directory, regular
 * files with key names, never symbolic links, sub-directories or staging files.</li>
 * </ul>
 * Methods are safe to call from several threads at once.
 */
public interface BackupStorage {

	/**
	 * Describe the storage for log lines and messages, without secrets.
	 * @return for example {@code directory /var/backups/app}
	 */
	String description();

	/**
	 * List the complete objects.
	 * @return every visible object, in no particular order
	 * @throws IOException if the storage cannot be listed
	 */
	List<StoredObject> list() throws IOException;

	/**
	 * Return one object's facts, if it is visible.
	 * @param key the object's key
	 * @return the object, or empty if there is none of that key
	 * @throws IOException if the storage cannot be read
	 */
	Optional<StoredObject> stat(String key) throws IOException;

	/**
	 * Open an object for reading.
	 * @param key the object's key
	 * @return its content, to be closed by the caller
	 * @throws java.nio.file.NoSuchFileException if there is no visible object of that key
	 * @throws IOException if it cannot be read
	 */
	InputStream open(String key) throws IOException;

	/**
	 * Store the content of a stream under a new key, visible only once complete.
	 * @param key the new object's key
	 * @param content the content, read to its end (not closed)
	 * @throws ObjectExistsException if an object of that key exists
	 * @throws IOException if the object cannot be written; nothing is visible then
	 */
	void write(String key, InputStream content) throws IOException;

	/**
	 * Store a local file's content under a new key, visible only once complete. The file
	 * itself is left where it is; an implementation may link it rather than copy it.
	 * @param key the new object's key
	 * @param file a complete file that nothing writes any more
	 * @throws ObjectExistsException if an object of that key exists
	 * @throws IOException if the object cannot be written; nothing is visible then
	 */
	void write(String key, Path file) throws IOException;

	/**
	 * Delete an object; deleting a key that does not exist is not an error.
	 * @param key the object's key
	 * @return {@code true} if an object was deleted
	 * @throws IOException if it cannot be deleted
	 */
	boolean delete(String key) throws IOException;

}

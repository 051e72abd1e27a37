package io.github.sqlitebackup.storage;

import java.nio.file.FileAlreadyExistsException;

/**
 * Thrown when a {@link BackupStorage} is asked to write a key that exists: objects are
 * never overwritten.
 */
public class ObjectExistsException extends FileAlreadyExistsException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param key the key that exists
	 * @param storage the storage's description
	 */
	public ObjectExistsException(String key, String storage) {
		super(key, null, "an object of that key already exists in " + storage);
	}

}

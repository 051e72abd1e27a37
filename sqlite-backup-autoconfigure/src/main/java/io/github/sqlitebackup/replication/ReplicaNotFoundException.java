package io.github.sqlitebackup.replication;

import java.io.IOException;

/**
 * Thrown when a storage holds no replicated state of a database at or before the point a
 * restore asks for.
 */
public class ReplicaNotFoundException extends IOException {

	/**
	 * Create an exception.
	 * @param message what was looked for where
	 */
	public ReplicaNotFoundException(String message) {
		super(message);
	}

}

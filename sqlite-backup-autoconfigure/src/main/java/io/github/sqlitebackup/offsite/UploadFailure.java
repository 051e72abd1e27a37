package io.github.sqlitebackup.offsite;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.github.sqlitebackup.storage.StorageException;

/**
 * An upload attempt that failed; the backup stays local and is tried again later.
 *
 * @param backup the backup's name, or {@code null} when listing the remote storage failed
 * @param cause the kind of failure
 * @param message what failed, without secrets
 * @param at when it failed
 * @param duration how long the attempt took
 */
public record UploadFailure(@Nullable String backup, Cause cause, String message, Instant at, Duration duration) {

	/**
	 * The kind of an upload failure, as meters tag it.
	 */
	public enum Cause {

		/** The remote storage refused the credentials or a permission. */
		ACCESS_DENIED,

		/** The bucket does not exist. */
		NOT_FOUND,

		/** The remote storage could not be reached. */
		UNREACHABLE,

		/** The remote storage failed or was overloaded. */
		SERVER_ERROR,

		/** The remote storage rejected a request. */
		REJECTED,

		/** The local backup could not be read, or did not match its manifest. */
		LOCAL_BACKUP,

		/** Anything else. */
		ERROR;

		static Cause of(Throwable failure) {
			if (failure instanceof StorageException storage) {
				return switch (storage.reason()) {
					case ACCESS_DENIED -> ACCESS_DENIED;
					case NOT_FOUND -> NOT_FOUND;
					case UNREACHABLE -> UNREACHABLE;
					case SERVER_ERROR -> SERVER_ERROR;
					case REJECTED -> REJECTED;
				};
			}
			return (failure instanceof IOException) ? UNREACHABLE : ERROR;
		}

	}

}

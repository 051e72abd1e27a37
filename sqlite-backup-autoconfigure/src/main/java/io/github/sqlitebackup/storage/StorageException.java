package io.github.sqlitebackup.storage;

import java.io.IOException;

/**
 * A storage operation that failed for a reason the caller can act on: wrong credentials, a
 * missing bucket, a storage that cannot be reached, one that failed or one that rejected
 * the request. Backends translate their own errors into these, so that retries, health and
 * meters work the same for every backend.
 */
public class StorageException extends IOException {

	private static final long serialVersionUID = 1L;

	private final Reason reason;

	/**
	 * Create an exception.
	 * @param reason why the operation failed
	 * @param message what failed, without secrets
	 * @param cause the backend's error
	 */
	public StorageException(Reason reason, String message, Throwable cause) {
		super(message, cause);
		this.reason = reason;
	}

	/**
	 * Return why the operation failed.
	 * @return the reason
	 */
	public Reason reason() {
		return this.reason;
	}

	/**
	 * Why a storage operation failed.
	 */
	public enum Reason {

		/** The credentials were refused or lack a permission (HTTP 403). */
		ACCESS_DENIED,

		/** The bucket or container does not exist. */
		NOT_FOUND,

		/** The storage could not be reached (connection refused or reset, time-out, unknown host). */
		UNREACHABLE,

		/** The storage failed or was overloaded (HTTP 5xx, throttling). */
		SERVER_ERROR,

		/** The storage rejected the request as invalid or unsupported (another HTTP 4xx). */
		REJECTED

	}

}

package io.github.sqlitebackup.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Retention rules that override another retention's, each one that is unset inherited:
 * {@code sqlite.backup.databases.<id>.retention} from {@code sqlite.backup.retention}, and
 * {@code sqlite.backup.remote.retention} (the off-site copies) from the local retention.
 */
public class RetentionOverrides {

	/**
	 * How many of the newest regular backups to keep at most. Unset: the local
	 * retention's for off-site copies, sqlite.backup.retention's for a database.
	 */
	private @Nullable Integer keepLast;

	/**
	 * How many of the newest safety backups to keep at most. Unset: the local
	 * retention's for off-site copies, sqlite.backup.retention's for a database.
	 */
	private @Nullable Integer keepSafety;

	/**
	 * Age after which a backup is deleted. Unset: the local
	 * retention's for off-site copies, sqlite.backup.retention's for a database.
	 */
	private @Nullable Duration maxAge;

	public @Nullable Integer getKeepLast() {
		return this.keepLast;
	}

	public void setKeepLast(@Nullable Integer keepLast) {
		this.keepLast = keepLast;
	}

	public @Nullable Integer getKeepSafety() {
		return this.keepSafety;
	}

	public void setKeepSafety(@Nullable Integer keepSafety) {
		this.keepSafety = keepSafety;
	}

	public @Nullable Duration getMaxAge() {
		return this.maxAge;
	}

	public void setMaxAge(@Nullable Duration maxAge) {
		this.maxAge = maxAge;
	}

}

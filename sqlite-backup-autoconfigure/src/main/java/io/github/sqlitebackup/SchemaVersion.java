package io.github.sqlitebackup;

import org.jspecify.annotations.Nullable;

/**
 * Which version of the application's schema a database holds, so that a backup taken
 * before a migration is not restored into an application that expects the migrated
 * schema (or the other way round).
 *
 * @param userVersion {@code PRAGMA user_version}
 * @param fingerprint the SHA-256 of the schema's definitions ({@code sqlite_schema}),
 * in hex: equal fingerprints mean equal tables, indexes, views and triggers
 * @param migrations the newest migration applied, when the database has a Flyway or
 * Liquibase history: {@code flyway <version>} or {@code liquibase <change set id>
 * (<count> change sets)}; {@code null} without one
 */
public record SchemaVersion(long userVersion, String fingerprint, @Nullable String migrations) {

	/**
	 * Return whether another database has the same schema as this one.
	 * @param other the other database's schema version
	 * @return {@code true} when the fingerprints are equal
	 */
	public boolean isSameSchema(SchemaVersion other) {
		return this.fingerprint.equals(other.fingerprint);
	}

	/**
	 * Describe the version for messages: migrations, user version and fingerprint prefix.
	 * @return the description
	 */
	public String describe() {
		String prefix = (this.migrations != null) ? this.migrations + ", " : "";
		return prefix + "user_version " + this.userVersion + ", schema "
				+ this.fingerprint.substring(0, Math.min(12, this.fingerprint.length()));
	}

}

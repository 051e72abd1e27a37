package io.github.sqlitebackup.catalog;

/**
 * Which database a backup belongs to, as recorded in its manifest. A catalog lists only the
 * backups of its own database, even in a directory that several applications share.
 *
 * @param id the database id: the prefix of its backups' names
 * @param source the database file that was backed up, or a description of an in-memory
 * database
 */
public record DatabaseIdentity(String id, String source) {

	/**
	 * Create an identity.
	 * @param id the database id, a valid {@link BackupNames} prefix
	 * @param source the database file or description
	 */
	public DatabaseIdentity {
		BackupNames.checkPrefix(id);
	}

	/**
	 * Describe the identity for messages.
	 * @return for example {@code 'app' (/var/lib/app/app.db)}
	 */
	public String describe() {
		return "'" + this.id + "' (" + this.source + ")";
	}

}

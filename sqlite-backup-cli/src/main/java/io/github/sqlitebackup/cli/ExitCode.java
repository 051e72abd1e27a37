package io.github.sqlitebackup.cli;

/**
 * The tool's exit codes, for scripts. They are documented in the README and in
 * {@code sqlite-backup --help}.
 */
final class ExitCode {

	/** Everything asked for was done. */
	static final int OK = 0;

	/** A backup is damaged, cannot be decrypted or failed its check, or a restore failed. */
	static final int FAILED = 1;

	/** The command line is wrong. */
	static final int USAGE = 2;

	/** The location cannot be read: no such directory, bucket or credentials, or an error. */
	static final int LOCATION_UNREADABLE = 3;

	/** The location holds no backup (of that name or database). */
	static final int NO_BACKUP = 4;

	/** The restore's target exists (or a journal beside it does) and {@code --force} was not given. */
	static final int TARGET_EXISTS = 5;

	static final String HELP = "%nExit codes:%n"
			+ "  0  done%n"
			+ "  1  a backup is damaged, undecryptable or failed its check; a restore failed%n"
			+ "  2  wrong command line%n"
			+ "  3  the location cannot be read (no such directory or bucket, network)%n"
			+ "  4  no backup there (of that name or database)%n"
			+ "  5  the restore's target exists (--force replaces it)%n";

	private ExitCode() {
	}

}

package io.github.sqlitebackup.cli;

/**
 * Ends a command with a message for the operator and an {@link ExitCode}.
 */
final class CliException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final int exitCode;

	CliException(int exitCode, String message) {
		super(message);
		this.exitCode = exitCode;
	}

	int exitCode() {
		return this.exitCode;
	}

}

package io.github.sqlitebackup.cli;

import java.util.Arrays;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code sqlite-backup}: lists, verifies and restores the backups that sqlite-backup made, in
 * a local directory or an S3 bucket, without the application. It reads the same manifests
 * and stored forms (zstd, age) as the starter and restores through the same offline
 * restore as {@code sqlite.backup.restore.on-startup}.
 */
@Command(name = "sqlite-backup", mixinStandardHelpOptions = true, versionProvider = Version.class,
		description = "Lists, verifies and restores sqlite-backup backups in a directory or an S3 bucket.",
		subcommands = { ListCommand.class, VerifyCommand.class, RestoreCommand.class,
				CommandLine.HelpCommand.class },
		footer = ExitCode.HELP)
public final class SqliteBackupCli {

	private SqliteBackupCli() {
	}

	/**
	 * Run the tool and exit with its {@linkplain ExitCode exit code}.
	 * @param args the command line
	 */
	public static void main(String[] args) {
		configureLogging(Arrays.asList(args).contains("--verbose"));
		System.exit(commandLine().execute(args));
	}

	static CommandLine commandLine() {
		CommandLine commandLine = new CommandLine(new SqliteBackupCli()).setCaseInsensitiveEnumValuesAllowed(true);
		commandLine.setExecutionExceptionHandler((ex, line, parseResult) -> {
			if (ex instanceof CliException failure) {
				line.getErr().println("sqlite-backup: " + failure.getMessage());
				return failure.exitCode();
			}
			line.getErr().println("sqlite-backup: " + ex);
			return ExitCode.FAILED;
		});
		return commandLine;
	}

	/** Warnings (a damaged copy skipped, a retry) go to standard error, one line each. */
	private static void configureLogging(boolean verbose) {
		System.setProperty("java.util.logging.SimpleFormatter.format", "[%4$s] %3$s: %5$s%6$s%n");
		Logger root = LogManager.getLogManager().getLogger("");
		Level level = verbose ? Level.INFO : Level.WARNING;
		root.setLevel(level);
		for (Handler handler : root.getHandlers()) {
			handler.setLevel(level);
			handler.setFormatter(new SimpleFormatter());
		}
	}

}

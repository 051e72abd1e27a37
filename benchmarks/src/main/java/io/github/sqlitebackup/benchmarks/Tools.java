package io.github.sqlitebackup.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the external tools the benchmark compares against.
 */
final class Tools {

	private Tools() {
	}

	/**
	 * Run a command and wait for it.
	 * @param timeout how long it may take
	 * @param command the command
	 * @return its output
	 * @throws IOException if it fails, with its output
	 * @throws TimeoutException if it does not finish in time (it is then killed)
	 */
	static String run(Duration timeout, List<String> command) throws IOException, InterruptedException, TimeoutException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			process.destroyForcibly();
			process.waitFor();
			throw new TimeoutException(String.join(" ", command) + " did not finish within " + timeout);
		}
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		if (process.exitValue() != 0) {
			throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ": " + output);
		}
		return output;
	}

	/**
	 * A tool that did not finish in time.
	 */
	static final class TimeoutException extends Exception {

		TimeoutException(String message) {
			super(message);
		}

	}

}

package io.github.sqlitebackup.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.sqlitebackup.support.S3TestServer;

/**
 * Runs the packaged tool as operators do, {@code java -jar sqlite-backup-cli.jar ...}, with
 * the test S3 server's credentials in the AWS environment variables.
 */
final class CliProcess {

	private final Path jar;

	private final Path workDirectory;

	CliProcess(Path workDirectory) {
		this.jar = Path.of(System.getProperty("cli.jar", "target/sqlite-backup-cli.jar"));
		this.workDirectory = workDirectory;
		if (!Files.isRegularFile(this.jar)) {
			throw new IllegalStateException("No packaged tool at " + this.jar + ": run through Maven's verify phase");
		}
	}

	Result run(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-jar", this.jar.toString()));
		command.addAll(List.of(args));
		Path out = Files.createTempFile(this.workDirectory, "cli", ".out");
		Path err = Files.createTempFile(this.workDirectory, "cli", ".err");
		ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
		Map<String, String> environment = builder.environment();
		environment.put("AWS_ACCESS_KEY_ID", S3TestServer.ACCESS_KEY);
		environment.put("AWS_SECRET_ACCESS_KEY", S3TestServer.SECRET_KEY);
		environment.remove("AWS_PROFILE");
		Process process = builder.start();
		if (!process.waitFor(120, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException("sqlite-backup " + String.join(" ", args) + " did not finish");
		}
		return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
				Files.readString(err, StandardCharsets.UTF_8));
	}

	/**
	 * What a run printed and how it ended.
	 * @param exitCode the exit code
	 * @param out standard output
	 * @param err standard error
	 */
	record Result(int exitCode, String out, String err) {

		@Override
		public String toString() {
			return "exit " + this.exitCode + "\n--- out:\n" + this.out + "--- err:\n" + this.err;
		}

	}

}

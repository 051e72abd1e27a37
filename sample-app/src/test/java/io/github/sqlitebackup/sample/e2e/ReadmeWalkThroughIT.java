package io.github.sqlitebackup.sample.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's walk-through, command by command as printed, against the packaged sample
 * app: only the ports (chosen free for the test) and the backup's name (the one the
 * walk-through's own backup got) differ. Each command must succeed, and each answer must
 * have what the README shows: the same status line, the same JSON fields, the same
 * {@code ok}.
 */
class ReadmeWalkThroughIT {

	private static final String PRINTED_BACKUP = "notes-20261121T121809027Z.db";

	private static final Pattern JSON_FIELD = Pattern.compile("\"([A-Za-z]+)\":");

	@Test
	void everyCommandRunsAsPrinted() throws Exception {
		List<Step> steps = walkThrough();
		assertThat(steps).as("commands in the walk-through").hasSizeGreaterThanOrEqualTo(10);
		Path work = Files.createDirectories(Path.of("target", "e2e"));
		Path dataDir = Files.createTempDirectory(work, "readme-");
		Path shell = Files.createTempDirectory(work, "readme-shell-");
		try (SampleAppProcess app = SampleAppProcess.start(dataDir, "--sqlite.backup.restore.enabled=true")) {
			String backup = null;
			for (Step step : steps) {
				String command = step.command()
					.replace("localhost:8080", "localhost:" + app.port)
					.replace("localhost:8081", "localhost:" + app.managementPort);
				if (backup != null) {
					command = command.replace(PRINTED_BACKUP, backup);
				}
				String output = run(command, shell);
				if (backup == null) {
					Matcher made = Pattern.compile("\"backup\":\"([^\"]+)\"").matcher(output);
					if (made.find()) {
						backup = made.group(1);
					}
				}
				for (String expected : step.output()) {
					if (expected.startsWith("HTTP/1.1 ")) {
						assertThat(output).as(step.command()).contains(expected);
					}
					else if (expected.equals("ok")) {
						assertThat(output.strip()).as(step.command()).isEqualTo("ok");
					}
					Matcher fields = JSON_FIELD.matcher(expected);
					while (fields.find()) {
						assertThat(output).as(step.command()).contains("\"" + fields.group(1) + "\":");
					}
				}
			}
			assertThat(backup).as("the walk-through made a backup").isNotNull();
			assertThat(shell.resolve(backup)).as("curl -OJ saved the download under the backup's name").isRegularFile();
		}
	}

	private static String run(String command, Path directory) throws IOException, InterruptedException {
		Process process = new ProcessBuilder("bash", "-o", "pipefail", "-c", command).directory(directory.toFile())
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(command).isTrue();
		assertThat(process.exitValue()).as(command + "\n" + output).isZero();
		return output;
	}

	/**
	 * The console blocks of the README's "Walk-through" section: each {@code $ } line is a
	 * command, the lines after it until the next command are what it printed.
	 */
	private static List<Step> walkThrough() throws IOException {
		String readme = Files.readString(Path.of("../README.md"));
		String section = readme.substring(readme.indexOf("## Walk-through"), readme.indexOf("## Configuration"));
		List<Step> steps = new ArrayList<>();
		Matcher blocks = Pattern.compile("```console\n(.*?)```", Pattern.DOTALL).matcher(section);
		while (blocks.find()) {
			for (String line : blocks.group(1).split("\n")) {
				if (line.startsWith("$ ")) {
					String command = line.substring(2).replaceFirst("\\s+# .*$", "");
					steps.add(new Step(command, new ArrayList<>()));
				}
				else if (!steps.isEmpty()) {
					steps.get(steps.size() - 1).output().add(line.strip());
				}
			}
		}
		return steps;
	}

	private record Step(String command, List<String> output) {
	}

}

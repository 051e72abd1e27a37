package io.github.sqlitebackup.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures the sample app's start-up time as Spring Boot reports it ("Started ... in N
 * seconds"), with the starter's auto-configuration on and off.
 */
final class StartupProbe {

	private static final Pattern STARTED = Pattern.compile("Started \\S+ in ([0-9.]+) seconds");

	private StartupProbe() {
	}

	/**
	 * Start the sample app once and return its reported start-up time.
	 * @param jar the sample app's jar
	 * @param dataDir a data directory for it
	 * @param starterEnabled whether {@code sqlite.backup.enabled} is true
	 * @return the start-up time in milliseconds
	 */
	static double startupMillis(Path jar, Path dataDir, boolean starterEnabled) throws Exception {
		Files.createDirectories(dataDir);
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar",
				jar.toString(), "--server.port=0", "--management.server.port=0", "--sample.data-dir=" + dataDir,
				"--sqlite.backup.enabled=" + starterEnabled));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		try (BufferedReader output = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = output.readLine()) != null) {
				Matcher started = STARTED.matcher(line);
				if (started.find()) {
					return Double.parseDouble(started.group(1)) * 1000;
				}
			}
			throw new IllegalStateException("The sample app exited without starting");
		}
		finally {
			process.destroy();
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
	}

}

package io.github.sqlitebackup.benchmarks.soak;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Options of the soak run.
 *
 * @param duration how long backups run under load
 * @param backupInterval the fixed delay between backups
 * @param sampleInterval how often the process is measured
 * @param writesPerSecond notes the load writes per second
 * @param work where the app's data directory and the report go
 * @param sampleJar the sample app's jar
 */
record SoakOptions(Duration duration, Duration backupInterval, Duration sampleInterval, int writesPerSecond,
		Path work, Path sampleJar) {

	static SoakOptions parse(String... args) {
		Duration duration = Duration.ofMinutes(30);
		Duration backupInterval = Duration.ofSeconds(3);
		int writesPerSecond = 50;
		Path work = Path.of("target", "soak");
		Path sampleJar = Path.of("sample-app", "target", "sample-app-0.1.0-SNAPSHOT.jar");
		for (String arg : args) {
			String value = arg.substring(arg.indexOf('=') + 1);
			if (arg.startsWith("--minutes=")) {
				duration = Duration.ofSeconds(Math.round(Double.parseDouble(value) * 60));
			}
			else if (arg.startsWith("--backup-interval=")) {
				backupInterval = Duration.ofMillis(Long.parseLong(value));
			}
			else if (arg.startsWith("--writes-per-second=")) {
				writesPerSecond = Integer.parseInt(value);
			}
			else if (arg.startsWith("--work=")) {
				work = Path.of(value);
			}
			else if (arg.startsWith("--sample-jar=")) {
				sampleJar = Path.of(value);
			}
			else {
				throw new IllegalArgumentException("Unknown option " + arg + "; use --minutes=30, "
						+ "--backup-interval=3000 (ms), --writes-per-second=50, --work=DIR, --sample-jar=JAR");
			}
		}
		Duration sampleInterval = Duration.ofMillis(Math.max(5_000, duration.toMillis() / 60));
		return new SoakOptions(duration, backupInterval, sampleInterval, writesPerSecond, work.toAbsolutePath(),
				sampleJar.toAbsolutePath());
	}

}

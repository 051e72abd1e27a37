package io.github.sqlitebackup.benchmarks.soak;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One measurement of the app during the soak.
 *
 * @param elapsed time since the load started
 * @param stats open file descriptors, threads and RSS
 * @param heapAfterGc heap in use right after a forced full GC, in bytes
 * @param backups backups that succeeded so far
 * @param failures backups that failed so far
 */
record Sample(Duration elapsed, ProcessStats stats, double heapAfterGc, double backups, double failures) {

	static final String HEADER = "| elapsed | file descriptors | threads | heap after GC MiB | RSS MiB | backups | failures |";

	static final String RULE = "|---|---|---|---|---|---|---|";

	static Sample take(SampleApp app, Duration elapsed) throws Exception {
		Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
		Soak.run(java.resolveSibling("jcmd").toString(), Long.toString(app.pid()), "GC.run");
		double heap = app.meter("jvm.memory.used?tag=area:heap", "VALUE");
		ProcessStats stats = ProcessStats.of(app.pid());
		double backups = app.meter("sqlite.backup.duration?tag=result:success", "COUNT");
		double failures = app.meter("sqlite.backup.failures", "COUNT");
		return new Sample(elapsed, stats, heap, backups, failures);
	}

	String row() {
		return String.format("| %d:%02d | %d | %d | %.1f | %.0f | %.0f | %.0f |", this.elapsed.toMinutes(),
				this.elapsed.toSecondsPart(), this.stats.fileDescriptors(), this.stats.threads(),
				this.heapAfterGc / (1024 * 1024), this.stats.rssKib() / 1024.0, this.backups, this.failures);
	}

}

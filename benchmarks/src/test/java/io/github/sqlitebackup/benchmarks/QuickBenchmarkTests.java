package io.github.sqlitebackup.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the benchmark in {@code --quick} mode, as CI does: it checks that every
 * measurement runs and is reported, never how fast anything is.
 */
class QuickBenchmarkTests {

	@Test
	void quickRunProducesEveryTable() throws Exception {
		Path out = Path.of("target", "benchmark-quick");
		BenchmarkOptions options = BenchmarkOptions.parse("--quick", "--work=target/benchmark-quick-work",
				"--out=" + out, "--sample-jar=../sample-app/target/sample-app-0.1.0-SNAPSHOT.jar");
		Report report = new BackupBenchmark(options).run();
		report.write(options.out());
		String markdown = Files.readString(out.resolve("benchmark.md"));
		assertThat(markdown).contains("cp + fsync", "sqlite3 .backup", "VACUUM INTO", "Python sqlite3 backup",
				"template step -1", "template step 100", "template step 1000", "template step -1 + quick_check",
				"sqlite3 .restore", "template restore", "Time versus size", "Writer latency, WAL",
				"Writer latency, DELETE", "Backup with -Xmx64m", "Sample app start-up",
				"Off-site copy of", "plain upload of the file", "zstd+age", "events (JSON text)",
				"Recovery of a 16 MiB database", "restore from S3 on loopback, zstd+age", "Performance targets",
				"1. job's whole run vs sqlite3 .backup", "4. restore, checks included, vs sqlite3 .restore",
				"backup job run, page copy (default)", "backup job run, Online Backup API",
				"reference engine, unpaced (step -1)");
		assertThat(Files.readAllLines(out.resolve("benchmark.csv"))).hasSizeGreaterThan(100);
	}

}

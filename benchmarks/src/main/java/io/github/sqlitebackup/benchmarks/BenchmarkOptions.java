package io.github.sqlitebackup.benchmarks;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What to run: {@code --quick} (16 MiB, for CI) or the full set (64 MiB, 512 MiB, 2 GiB),
 * adjustable with {@code --sizes=64,512 --runs=5 --work=DIR --out=DIR --sample-jar=JAR}.
 *
 * @param sizesMib database sizes for throughput and scaling
 * @param runs measurements per method and size
 * @param writerSizeMib database size for the writer-impact runs
 * @param memorySizesMib database sizes backed up with -Xmx64m
 * @param startupRuns start-ups of the sample app per variant
 * @param toolTimeoutSeconds how long a tool may run under writes before it counts as not finished
 * @param work where databases and copies go
 * @param out where the report goes
 * @param sampleJar the sample app's jar, for the start-up measurement
 * @param recoverySizeMib database size for the recovery-time runs (1 GiB, 16 MiB quick)
 */
record BenchmarkOptions(List<Integer> sizesMib, int runs, int writerSizeMib, List<Integer> memorySizesMib,
		int startupRuns, int toolTimeoutSeconds, Path work, Path out, Path sampleJar, int recoverySizeMib) {

	static BenchmarkOptions parse(String... args) {
		boolean quick = Arrays.asList(args).contains("--quick");
		List<Integer> sizes = quick ? List.of(16) : List.of(64, 512, 2048);
		int runs = quick ? 3 : 5;
		Path work = Path.of("target", "benchmark-work");
		Path out = Path.of("target", "benchmark");
		Path sampleJar = Path.of("sample-app", "target", "sample-app-0.1.0-SNAPSHOT.jar");
		for (String arg : args) {
			String value = arg.substring(arg.indexOf('=') + 1);
			if (arg.startsWith("--sizes=")) {
				sizes = Arrays.stream(value.split(",")).map(Integer::valueOf).toList();
			}
			else if (arg.startsWith("--runs=")) {
				runs = Integer.parseInt(value);
			}
			else if (arg.startsWith("--work=")) {
				work = Path.of(value);
			}
			else if (arg.startsWith("--out=")) {
				out = Path.of(value);
			}
			else if (arg.startsWith("--sample-jar=")) {
				sampleJar = Path.of(value);
			}
			else if (!arg.equals("--quick")) {
				throw new IllegalArgumentException("Unknown option " + arg
						+ "; use --quick, --sizes=64,512,2048, --runs=5, --work=DIR, --out=DIR, --sample-jar=JAR");
			}
		}
		int largest = sizes.stream().mapToInt(Integer::intValue).max().orElse(16);
		int writerSize = quick ? 16 : Math.min(512, largest);
		List<Integer> memorySizes = quick ? List.of(16) : List.of(sizes.get(0), largest);
		return new BenchmarkOptions(sizes, runs, writerSize, memorySizes, quick ? 1 : 5, quick ? 5 : 60,
				work.toAbsolutePath(), out.toAbsolutePath(), sampleJar.toAbsolutePath(), quick ? 16 : 1024);
	}

}

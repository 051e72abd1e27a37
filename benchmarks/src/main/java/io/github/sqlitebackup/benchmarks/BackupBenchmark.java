package io.github.sqlitebackup.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sqlite.SQLiteJDBCLoader;

import io.github.sqlitebackup.BackupOptions;
import io.github.sqlitebackup.BackupResult;
import io.github.sqlitebackup.Verification;

/**
 * Runs every measurement of the benchmark on the same generated files and reports them:
 * throughput of backup and restore against cp, the sqlite3 shell, VACUUM INTO and Python;
 * scaling with size; the impact on a writer committing 200 times a second, in WAL and
 * DELETE modes; memory of a backup with a 64 MiB heap; and the starter's start-up cost.
 * <p>
 * Run with {@code bench/run.sh} (or {@code --quick} for a small, fast run).
 */
public final class BackupBenchmark {

	private static final double MIB = 1024 * 1024;

	private final BenchmarkOptions options;

	private final Report report = new Report();

	BackupBenchmark(BenchmarkOptions options) {
		this.options = options;
	}

	public static void main(String[] args) throws Exception {
		BenchmarkOptions options = BenchmarkOptions.parse(args);
		Report report = new BackupBenchmark(options).run();
		report.write(options.out());
		System.out.println(report.markdown());
		System.out.println("Written to " + options.out().resolve("benchmark.md") + " and benchmark.csv");
	}

	Report run() throws Exception {
		Files.createDirectories(this.options.work());
		environment();
		Map<Integer, Double> templateMedians = new LinkedHashMap<>();
		for (int size : this.options.sizesMib()) {
			Path database = Databases.create(this.options.work(), size, "wal");
			templateMedians.put(size, throughput(size, database));
			restores(size, database);
		}
		scaling(templateMedians);
		new PerformanceTargets(this.options, this.report).run();
		new OffsiteBenchmark(this.options, this.report).run();
		new RecoveryBenchmark(this.options, this.report).run();
		new ReplicationBenchmark(this.options, this.report).run();
		for (String mode : List.of("wal", "delete")) {
			writerImpact(mode);
		}
		memory();
		startup();
		return this.report;
	}

	private void environment() throws Exception {
		this.report.section("Machine", "");
		this.report.table("Environment", List.of("what", "value"),
				List.of(List.of("cores", String.valueOf(Runtime.getRuntime().availableProcessors())),
						List.of("JDK", System.getProperty("java.vm.name") + " " + Runtime.version()),
						List.of("OS", System.getProperty("os.name") + " " + System.getProperty("os.version")),
						List.of("file system of the work directory",
								Tools.run(Duration.ofSeconds(10), List.of("df", "-T", this.options.work().toString()))
									.lines().skip(1).findFirst().orElse("?").replaceAll("\\s+", " ")),
						List.of("SQLite in sqlite-jdbc", SQLiteJDBCLoader.getVersion()),
						List.of("sqlite3 shell", Tools.run(Duration.ofSeconds(10), List.of("sqlite3", "--version"))
							.split(" ")[0]),
						List.of("Python sqlite3", Tools.run(Duration.ofSeconds(10),
								List.of("python3", "-c", "import sqlite3; print(sqlite3.sqlite_version)")))));
	}

	private double throughput(int size, Path database) throws Exception {
		long bytes = Files.size(database);
		Map<String, Stats> results = measure(CopyMethods.backups(), database, this.options.work().resolve("copy.db"));
		this.report.section("Backup throughput, " + Report.mib(bytes), "Each method copies the same WAL-mode file, page cache "
				+ "warm, medians of " + this.options.runs() + " runs (min-max). Template rows without a check are the raw "
				+ "copy that sqlite3 .backup also does: step -1 with the default page copy, then with the Online Backup "
				+ "API, then stepwise (always the Online Backup API); the last row adds the quick_check that runs before "
				+ "publication.");
		this.report.table("Backup of " + Report.mib(bytes), columns(), rows(results, bytes, CopyMethods.SQLITE3));
		return results.get(CopyMethods.templateName(BackupOptions.ALL_PAGES, Verification.NONE)).median();
	}

	private void restores(int size, Path database) throws Exception {
		long bytes = Files.size(database);
		Path backup = this.options.work().resolve("restore-source.db");
		Databases.delete(backup);
		CopyMethods.templateBackup(database, backup, BackupOptions.ALL_PAGES, Verification.NONE);
		Path live = this.options.work().resolve("live.db");
		Databases.delete(live);
		Files.copy(database, live);
		Map<String, Stats> results = measure(CopyMethods.restores(), backup, live);
		this.report.table("Restore of " + Report.mib(bytes) + " into a database of the same size", columns(),
				rows(results, bytes, CopyMethods.SQLITE3_RESTORE));
	}

	private Map<String, Stats> measure(List<CopyMethods.Method> methods, Path source, Path target) throws Exception {
		Map<String, Stats> results = new LinkedHashMap<>();
		for (CopyMethods.Method method : methods) {
			if (!target.getFileName().toString().startsWith("live")) {
				Databases.delete(target);
			}
			method.copy().copy(source, target);
			List<Double> millis = new ArrayList<>();
			for (int run = 0; run < this.options.runs(); run++) {
				if (!target.getFileName().toString().startsWith("live")) {
					Databases.delete(target);
				}
				long start = System.nanoTime();
				method.copy().copy(source, target);
				millis.add((System.nanoTime() - start) / 1e6);
			}
			results.put(method.name(), Stats.of(millis));
		}
		return results;
	}

	private static List<String> columns() {
		return List.of("method", "median ms", "min-max ms", "MiB/s", "vs sqlite3", "vs cp + fsync");
	}

	private static List<List<String>> rows(Map<String, Stats> results, long bytes, String reference) {
		double sqlite3 = results.get(reference).median();
		double cp = results.get(CopyMethods.CP).median();
		List<List<String>> rows = new ArrayList<>();
		results.forEach((name, stats) -> rows.add(List.of(name, Report.ms(stats.median()),
				Report.ms(stats.min()) + "-" + Report.ms(stats.max()),
				Report.number(bytes / MIB / (stats.median() / 1000), "%.0f"), Report.ratio(stats.median() / sqlite3),
				Report.ratio(stats.median() / cp))));
		return rows;
	}

	private void scaling(Map<Integer, Double> templateMedians) {
		this.report.section("Scaling", "Template backup (step -1, no check) time per size; a constant cost per GiB means "
				+ "the time grows linearly with the size.");
		List<List<String>> rows = new ArrayList<>();
		templateMedians.forEach((size, millis) -> rows.add(List.of(size + " MiB", Report.ms(millis),
				Report.ms(millis / (size / 1024.0)))));
		this.report.table("Time versus size", List.of("size", "median ms", "ms per GiB"), rows);
	}

	private void writerImpact(String mode) throws Exception {
		Path database = Databases.create(this.options.work(), this.options.writerSizeMib(), mode);
		Path copy = this.options.work().resolve("writer-copy.db");
		Databases.delete(copy);
		double quiet = timed(() -> CopyMethods.templateBackup(database, copy, BackupOptions.ALL_PAGES, Verification.NONE));
		List<List<String>> rows = new ArrayList<>();
		try (WriterImpact writer = new WriterImpact(database)) {
			Thread.sleep(500);
			WriterImpact.Latencies baseline = writer.during(() -> Thread.sleep(3000));
			rows.add(writerRow("no backup", "-", Double.NaN, Double.NaN, "-", baseline));
			for (BackupOptions options : List.of(BackupOptions.defaults(), BackupOptions.defaults().withStepSize(1000),
					BackupOptions.defaults().withStepSize(100).withStepPause(Duration.ofMillis(1)))) {
				Databases.delete(copy);
				BackupResult[] result = new BackupResult[1];
				WriterImpact.Latencies latencies = writer.during(() -> result[0] = CopyMethods.template(database)
					.backup(copy, options.withVerification(Verification.NONE)));
				rows.add(writerRow(
						"template step " + options.stepSize()
								+ (options.stepPause().isZero() ? "" : ", pause " + options.stepPause().toMillis() + " ms"),
						"yes", result[0].duration().toMillis(), quiet,
						result[0].restarts() + " (writers locked out " + result[0].writersBlocked().toMillis() + " ms)",
						latencies));
			}
			Databases.delete(copy);
			String[] finished = new String[1];
			double[] shellMillis = new double[1];
			WriterImpact.Latencies latencies = writer.during(() -> {
				long start = System.nanoTime();
				finished[0] = shellBackup(database, copy);
				shellMillis[0] = (System.nanoTime() - start) / 1e6;
			});
			rows.add(writerRow("sqlite3 .backup", finished[0], shellMillis[0], quiet, "?", latencies));
		}
		this.report.section("Writer impact, " + mode.toUpperCase() + " mode",
				"A writer on its own connection commits one small transaction every 5 ms (200 commits/s). Its commit "
						+ "latency with no backup, during the template's backup and during the sqlite3 shell's, on "
						+ Report.mib(Files.size(database)) + ". Quiet template backup: " + Report.ms(quiet) + " ms.");
		this.report.table("Writer latency, " + mode.toUpperCase(), List.of("during", "backup finished", "backup ms",
				"vs quiet", "restarts", "commits", "writer errors", "p50 ms", "p99 ms", "max ms"), rows);
	}

	private String shellBackup(Path database, Path copy) throws Exception {
		try {
			Tools.run(Duration.ofSeconds(this.options.toolTimeoutSeconds()),
					List.of("sqlite3", database.toString(), ".backup '" + copy + "'"));
			return "yes";
		}
		catch (Tools.TimeoutException ex) {
			return "no: still restarting after " + this.options.toolTimeoutSeconds() + " s";
		}
		catch (IOException ex) {
			return "no: " + ex.getMessage().replaceAll(".*: ", "").replace('|', '/');
		}
	}

	private static List<String> writerRow(String during, String finished, double backupMillis, double quiet,
			String restarts, WriterImpact.Latencies latencies) {
		return List.of(during, finished, Report.ms(backupMillis), Report.ratio(backupMillis / quiet), restarts,
				String.valueOf(latencies.commits()), String.valueOf(latencies.errors()), Report.ms(latencies.p50()),
				Report.ms(latencies.p99()), Report.ms(latencies.max()));
	}

	private void memory() throws Exception {
		List<List<String>> rows = new ArrayList<>();
		for (int size : this.options.memorySizesMib()) {
			Path database = Databases.create(this.options.work(), size, "wal");
			Path copy = this.options.work().resolve("memory-copy.db");
			Databases.delete(copy);
			String java = ProcessHandle.current().info().command().orElse("java");
			String output = Tools.run(Duration.ofMinutes(10),
					List.of(java, "-Xmx64m", "--enable-native-access=ALL-UNNAMED", "-cp",
							System.getProperty("java.class.path"), MemoryProbe.class.getName(), database.toString(),
							copy.toString()));
			Map<String, String> values = new LinkedHashMap<>();
			for (String pair : output.lines().reduce((first, last) -> last).orElse("").split(" ")) {
				String[] keyValue = pair.split("=");
				values.put(keyValue[0], keyValue[1]);
			}
			rows.add(List.of(Report.mib(Files.size(database)), "yes", values.get("millis"),
					Report.number(Long.parseLong(values.get("peakHeapBytes")) / MIB, "%.1f"),
					Report.number(Long.parseLong(values.get("peakRssKib")) / 1024.0, "%.0f")));
		}
		this.report.section("Memory", "One template backup (step -1, quick_check) in a JVM started with -Xmx64m: the "
				+ "copy runs in SQLite's native code through files, so the heap does not grow with the database.");
		this.report.table("Backup with -Xmx64m", List.of("database", "succeeded", "backup ms", "peak heap MiB",
				"peak RSS MiB"), rows);
	}

	private void startup() throws Exception {
		List<Double> with = new ArrayList<>();
		List<Double> without = new ArrayList<>();
		for (int run = 0; run < this.options.startupRuns(); run++) {
			with.add(StartupProbe.startupMillis(this.options.sampleJar(), this.options.work().resolve("startup-on-" + run),
					true));
			without.add(StartupProbe.startupMillis(this.options.sampleJar(),
					this.options.work().resolve("startup-off-" + run), false));
		}
		Stats on = Stats.of(with);
		Stats off = Stats.of(without);
		this.report.section("Start-up", "The sample app's start-up time as Spring Boot reports it, with the starter's "
				+ "auto-configuration on and off (sqlite.backup.enabled), medians of " + this.options.startupRuns()
				+ " starts.");
		this.report.table("Sample app start-up", List.of("starter", "median ms", "min-max ms", "ratio"),
				List.of(List.of("off", Report.ms(off.median()), Report.ms(off.min()) + "-" + Report.ms(off.max()),
						"1.00x"),
						List.of("on", Report.ms(on.median()), Report.ms(on.min()) + "-" + Report.ms(on.max()),
								Report.ratio(on.median() / off.median()))));
	}

	private static double timed(WriterImpact.Action action) throws Exception {
		long start = System.nanoTime();
		action.run();
		return (System.nanoTime() - start) / 1e6;
	}

}

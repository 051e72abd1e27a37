package io.github.sqlitebackup.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.sqlitebackup.BackupOptions;
import io.github.sqlitebackup.BackupResult;
import io.github.sqlitebackup.CopyEngine;
import io.github.sqlitebackup.SqliteBackupTemplate;
import io.github.sqlitebackup.catalog.BackupCatalog;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.catalog.DatabaseIdentity;
import io.github.sqlitebackup.catalog.RetentionPolicy;
import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.job.BackupRunOutcome;
import io.github.sqlitebackup.storage.LocalDirectoryStorage;

/**
 * The performance targets, each measured and compared with its reference in one run:
 * <ol>
 * <li>the backup job's whole run (copy, quick_check, SHA-256, manifest, publication,
 * retention) at most 1.0x {@code sqlite3 .backup}, at every size;</li>
 * <li>the same at most 0.5x;</li>
 * <li>a writer's p99 during a default WAL backup at most 2x its p99 without one, with the
 * backup at most 1.2x the reference engine's unpaced backup during the same writer;</li>
 * <li>the template's restore into a live database, checks included, at most 1.0x
 * {@code sqlite3 .restore}.</li>
 * </ol>
 * Runs of the compared methods are interleaved, so that drift of the machine hits all of
 * them alike, each after a {@code sync} so that none starts behind another's writeback;
 * figures are medians.
 */
final class PerformanceTargets {

	private static final String RESTORE = "template restore (checks included)";

	private final BenchmarkOptions options;

	private final Report report;

	PerformanceTargets(BenchmarkOptions options, Report report) {
		this.options = options;
		this.report = report;
	}

	public static void main(String[] args) throws Exception {
		BenchmarkOptions options = BenchmarkOptions.parse(args);
		Report report = new Report();
		new PerformanceTargets(options, report).run();
		System.out.println(report.markdown());
	}

	void run() throws Exception {
		Files.createDirectories(this.options.work());
		List<List<String>> jobRows = new ArrayList<>();
		List<List<String>> restoreRows = new ArrayList<>();
		List<List<String>> targets = new ArrayList<>();
		double worstJob = 0;
		double worstRestore = 0;
		for (int size : this.options.sizesMib()) {
			Path database = Databases.create(this.options.work(), size, "wal");
			String label = Report.mib(Files.size(database));
			Map<String, Stats> backups = backups(database);
			double shell = backups.get(CopyMethods.SQLITE3).median();
			double pageJob = backups.get(jobName(CopyEngine.PAGE_COPY)).median();
			worstJob = Math.max(worstJob, pageJob / shell);
			backups.forEach((name, stats) -> jobRows.add(List.of(label, name, Report.ms(stats.median()),
					Report.ms(stats.min()) + "-" + Report.ms(stats.max()), Report.ratio(stats.median() / shell))));
			Map<String, Stats> restores = restores(database);
			double shellRestore = restores.get(CopyMethods.SQLITE3_RESTORE).median();
			worstRestore = Math.max(worstRestore, restores.get(RESTORE).median() / shellRestore);
			restores.forEach((name, stats) -> restoreRows.add(List.of(label, name, Report.ms(stats.median()),
					Report.ms(stats.min()) + "-" + Report.ms(stats.max()), Report.ratio(stats.median() / shellRestore))));
		}
		targets.add(target("1. job's whole run vs sqlite3 .backup (worst size)", worstJob, 1.0));
		targets.add(target("2. the same, moonshot", worstJob, 0.5));
		WriterFigures writer = writer();
		targets.add(target("3a. writer p99 during a default WAL backup vs no backup", writer.p99Ratio(), 2.0));
		targets.add(target("3b. that backup vs the reference engine's unpaced backup", writer.durationRatio(), 1.2));
		targets.add(target("4. restore, checks included, vs sqlite3 .restore (worst size)", worstRestore, 1.0));
		this.report.section("Performance targets",
				"Medians of " + this.options.runs() + " interleaved runs per method on WAL databases, page cache warm. "
						+ "The job's run is BackupJob.run: copy, quick_check, SHA-256, manifest, publication and "
						+ "retention. The restore is SqliteBackupTemplate.restore into a live database of the same "
						+ "size: the kernel's copy to a private staging file, its quick_check (beside the copy into the live "
						+ "database, whose commit waits for it) and the check of the result.");
		this.report.table("Targets", List.of("target", "measured", "goal", "met"), targets);
		this.report.table("Job's whole run", List.of("database", "method", "median ms", "min-max ms", "vs sqlite3"),
				jobRows);
		this.report.table("Restore", List.of("database", "method", "median ms", "min-max ms", "vs sqlite3"),
				restoreRows);
		this.report.table("Writer during a WAL backup (" + Report.mib(writer.bytes()) + ")",
				List.of("during", "backup ms", "p50 ms", "p99 ms", "max ms", "writer errors"), writer.rows());
	}

	private Map<String, Stats> backups(Path database) throws Exception {
		Path shellCopy = this.options.work().resolve("target-shell.db");
		Map<String, Run> methods = new LinkedHashMap<>();
		methods.put(CopyMethods.CP, () -> {
			Databases.delete(shellCopy);
			CopyMethods.cp(database, shellCopy);
		});
		methods.put(CopyMethods.SQLITE3, () -> {
			Databases.delete(shellCopy);
			CopyMethods.sqlite3Backup(database, shellCopy);
		});
		for (CopyEngine engine : CopyEngine.values()) {
			BackupJob job = job(database, engine);
			methods.put(jobName(engine), () -> {
				BackupRunOutcome outcome = job.run(BackupTrigger.MANUAL);
				if (outcome.status() != BackupRunOutcome.Status.SUCCEEDED) {
					throw new IllegalStateException("The job's run did not succeed: " + outcome);
				}
			});
		}
		Map<String, Stats> results = interleaved(methods);
		Databases.delete(shellCopy);
		return results;
	}

	private Map<String, Stats> restores(Path database) throws Exception {
		Path backup = this.options.work().resolve("target-backup.db");
		Path live = this.options.work().resolve("target-live.db");
		Databases.delete(backup);
		Databases.delete(live);
		CopyMethods.template(database).backup(backup);
		Files.copy(database, live);
		SqliteBackupTemplate template = CopyMethods.template(live);
		Map<String, Run> methods = new LinkedHashMap<>();
		methods.put(CopyMethods.SQLITE3_RESTORE, () -> CopyMethods.sqlite3Restore(backup, live));
		methods.put(RESTORE, () -> template.restore(backup));
		Map<String, Stats> results = interleaved(methods);
		Databases.delete(backup);
		Databases.delete(live);
		return results;
	}

	private WriterFigures writer() throws Exception {
		Path database = Databases.create(this.options.work(), this.options.writerSizeMib(), "wal");
		Path copy = this.options.work().resolve("target-writer-copy.db");
		List<List<String>> rows = new ArrayList<>();
		try (WriterImpact writer = new WriterImpact(database)) {
			WriterImpact.Latencies baseline = writer.during(() -> Thread.sleep(3000));
			rows.add(writerRow("no backup", Double.NaN, baseline));
			double[] millis = new double[2];
			WriterImpact.Latencies[] during = new WriterImpact.Latencies[2];
			CopyEngine[] engines = { CopyEngine.PAGE_COPY, CopyEngine.ONLINE_BACKUP_API };
			for (int i = 0; i < engines.length; i++) {
				BackupOptions options = BackupOptions.defaults().withCopyEngine(engines[i]);
				Databases.delete(copy);
				BackupResult[] result = new BackupResult[1];
				during[i] = writer.during(() -> result[0] = CopyMethods.template(database).backup(copy, options));
				millis[i] = result[0].duration().toMillis();
				rows.add(writerRow((i == 0) ? "default backup (page copy)" : "reference engine, unpaced (step -1)",
						millis[i], during[i]));
			}
			Databases.delete(copy);
			return new WriterFigures(Files.size(database), during[0].p99() / baseline.p99(), millis[0] / millis[1],
					rows);
		}
	}

	private Map<String, Stats> interleaved(Map<String, Run> methods) throws Exception {
		for (Run method : methods.values()) {
			method.run();
		}
		Map<String, List<Double>> millis = new LinkedHashMap<>();
		for (int run = 0; run < this.options.runs(); run++) {
			for (Map.Entry<String, Run> method : methods.entrySet()) {
				// each method starts with the disk's queue empty, not behind the previous one's writeback
				Tools.run(Duration.ofMinutes(5), List.of("sync"));
				long start = System.nanoTime();
				method.getValue().run();
				millis.computeIfAbsent(method.getKey(), (name) -> new ArrayList<>())
					.add((System.nanoTime() - start) / 1e6);
			}
		}
		Map<String, Stats> results = new LinkedHashMap<>();
		millis.forEach((name, values) -> results.put(name, Stats.of(values)));
		return results;
	}

	private BackupJob job(Path database, CopyEngine engine) throws Exception {
		SqliteBackupTemplate template = CopyMethods.template(database, BackupOptions.defaults().withCopyEngine(engine));
		Path backups = this.options.work().resolve("target-job-" + engine.name().toLowerCase());
		deleteDirectory(backups);
		Files.createDirectories(backups);
		BackupCatalog catalog = new BackupCatalog(LocalDirectoryStorage.open(backups),
				new DatabaseIdentity("bench", template.database().description()));
		return new BackupJob(template, template.database(), catalog, backups,
				new BackupJob.Settings(false, new RetentionPolicy(1, Duration.ofDays(1), 1)), (event) -> {
				}, Clock.systemUTC());
	}

	private static String jobName(CopyEngine engine) {
		return "backup job run, " + ((engine == CopyEngine.PAGE_COPY) ? "page copy (default)" : "Online Backup API");
	}

	private static List<String> target(String name, double measured, double goal) {
		return List.of(name, Report.ratio(measured), "<= " + Report.ratio(goal), (measured <= goal) ? "yes" : "no");
	}

	private static List<String> writerRow(String during, double backupMillis, WriterImpact.Latencies latencies) {
		return List.of(during, Report.ms(backupMillis), Report.ms(latencies.p50()), Report.ms(latencies.p99()),
				Report.ms(latencies.max()), String.valueOf(latencies.errors()));
	}

	private static void deleteDirectory(Path directory) throws Exception {
		if (Files.isDirectory(directory)) {
			try (Stream<Path> files = Files.walk(directory)) {
				for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
					Files.delete(file);
				}
			}
		}
	}

	@FunctionalInterface
	private interface Run {

		void run() throws Exception;

	}

	private record WriterFigures(long bytes, double p99Ratio, double durationRatio, List<List<String>> rows) {
	}

}

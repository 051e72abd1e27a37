package io.github.sqlitebackup.benchmarks.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.json.JsonParser;
import org.springframework.boot.json.JsonParserFactory;

/**
 * The long soak: the sample app backs up every few seconds for (by default) 30 minutes
 * while notes are written at a steady rate. Every sample forces a full GC in the app
 * ({@code jcmd GC.run}) and records its open file descriptors, threads, heap after GC and
 * RSS. At the end the app is stopped with SIGTERM and every backup it left is checked
 * against its manifest's SHA-256 and with {@code PRAGMA integrity_check}.
 * <p>
 * It fails (exit status 1) on any failed backup, unverified or damaged backup, write
 * error, {@code ERROR} log line or unclean shutdown, and on growth between the sample at
 * a fifth of the run (after warm-up) and the end: more than 5 file descriptors or threads,
 * or heap after GC more than 25 % + 8 MiB. Writes {@code soak.md} and {@code soak.csv}.
 */
public final class Soak {

	private static final double MIB = 1024 * 1024;

	private Soak() {
	}

	public static void main(String[] args) throws Exception {
		SoakOptions options = SoakOptions.parse(args);
		Path dataDir = options.work().resolve("data");
		deleteRecursively(options.work());
		Files.createDirectories(dataDir);
		createNotes(dataDir.resolve("notes.db"), 100_000);
		List<String> problems = new ArrayList<>();
		List<Sample> samples = new ArrayList<>();
		long notesWritten;
		long writeErrors;
		try (SampleApp app = SampleApp.start(options.sampleJar(), dataDir,
				List.of("--sqlite.backup.schedule.fixed-delay=" + options.backupInterval().toMillis() + "ms",
						"--sqlite.backup.schedule.initial-delay=1s", "--sqlite.backup.retention.keep-last=10",
						"--sqlite.backup.skip-if-unchanged=false", "--sqlite.backup.verify=quick"))) {
			System.out.printf("Soak: %d min, a backup every %d ms, %d writes/s; app pid %d, log %s%n",
					options.duration().toMinutes(), options.backupInterval().toMillis(), options.writesPerSecond(),
					app.pid(), app.log());
			try (WriteLoad load = WriteLoad.start(app, options.writesPerSecond())) {
				long start = System.nanoTime();
				long end = start + options.duration().toNanos();
				while (System.nanoTime() < end) {
					Thread.sleep(Math.min(options.sampleInterval().toMillis(),
							Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
					Sample sample = Sample.take(app, Duration.ofNanos(System.nanoTime() - start));
					samples.add(sample);
					System.out.println(sample.row());
				}
				notesWritten = load.written();
				writeErrors = load.errors();
			}
			if (!app.stop(Duration.ofSeconds(60))) {
				problems.add("the app did not stop within 60 s of SIGTERM");
			}
			problems.addAll(errorLines(app.log()));
		}
		problems.addAll(checkBackups(dataDir.resolve("backups")));
		if (writeErrors > 0) {
			problems.add(writeErrors + " note writes failed");
		}
		problems.addAll(growth(samples));
		report(options, samples, notesWritten, problems);
		System.exit(problems.isEmpty() ? 0 : 1);
	}

	private static void createNotes(Path database, int count) throws Exception {
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
				Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA journal_mode=WAL");
			statement.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT NOT NULL)");
			statement.execute("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < " + count
					+ ") INSERT INTO note (text) SELECT 'soak note ' || x || ' ' || hex(randomblob(100)) FROM n");
		}
	}

	/**
	 * Check every backup in the stopped app's directory against its manifest.
	 */
	private static List<String> checkBackups(Path backups) throws Exception {
		List<String> problems = new ArrayList<>();
		List<Path> files;
		try (var list = Files.list(backups)) {
			files = list.filter((file) -> file.getFileName().toString().endsWith(".db")).sorted().toList();
		}
		if (files.isEmpty()) {
			return List.of("no backup in " + backups);
		}
		JsonParser json = JsonParserFactory.getJsonParser();
		for (Path file : files) {
			String name = file.getFileName().toString();
			Path manifestFile = file.resolveSibling(name + ".manifest.json");
			if (!Files.exists(manifestFile)) {
				problems.add(name + " has no manifest");
				continue;
			}
			Map<String, Object> manifest = json.parseMap(Files.readString(manifestFile));
			if ("none".equals(manifest.get("verification"))) {
				problems.add(name + " is not verified");
			}
			if (!sha256(file).equals(manifest.get("sha256"))) {
				problems.add(name + " does not match its manifest's SHA-256");
			}
			String check = run("sqlite3", "-readonly", file.toString(), "PRAGMA integrity_check;");
			if (!check.equals("ok")) {
				problems.add(name + " fails integrity_check: " + check);
			}
		}
		try (var list = Files.list(backups)) {
			list.filter((file) -> file.getFileName().toString().contains(".sqlite-backup-tmp"))
				.forEach((file) -> problems.add("temporary file left: " + file));
		}
		System.out.printf("Checked the %d backups left: manifest, SHA-256 and integrity_check%n", files.size());
		return problems;
	}

	private static List<String> errorLines(Path log) throws IOException {
		return Files.readAllLines(log)
			.stream()
			.filter((line) -> line.contains(" ERROR "))
			.map((line) -> "log: " + line)
			.toList();
	}

	/**
	 * Compare the sample after warm-up (a fifth into the run) with the last.
	 */
	private static List<String> growth(List<Sample> samples) {
		if (samples.size() < 5) {
			return List.of("too few samples (" + samples.size() + ") to judge growth; run longer");
		}
		Sample warm = samples.get(samples.size() / 5);
		Sample last = samples.get(samples.size() - 1);
		List<String> problems = new ArrayList<>();
		if (last.stats().fileDescriptors() - warm.stats().fileDescriptors() > 5) {
			problems.add("file descriptors grew from " + warm.stats().fileDescriptors() + " to "
					+ last.stats().fileDescriptors());
		}
		if (last.stats().threads() - warm.stats().threads() > 5) {
			problems.add("threads grew from " + warm.stats().threads() + " to " + last.stats().threads());
		}
		if (last.heapAfterGc() > warm.heapAfterGc() * 1.25 + 8 * MIB) {
			problems.add(String.format("heap after GC grew from %.1f to %.1f MiB", warm.heapAfterGc() / MIB,
					last.heapAfterGc() / MIB));
		}
		if (last.failures() > 0) {
			problems.add((long) last.failures() + " backups failed");
		}
		return problems;
	}

	private static void report(SoakOptions options, List<Sample> samples, long notesWritten, List<String> problems)
			throws IOException {
		StringBuilder markdown = new StringBuilder();
		Sample last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
		markdown.append(String.format("**Soak: %d min, a backup every %d ms, %d notes written**%n%n",
				options.duration().toMinutes(), options.backupInterval().toMillis(), notesWritten));
		markdown.append(Sample.HEADER).append('\n').append(Sample.RULE).append('\n');
		samples.forEach((sample) -> markdown.append(sample.row()).append('\n'));
		markdown.append('\n');
		if (last != null) {
			markdown.append(String.format("%d backups succeeded, %d failed.%n", (long) last.backups(),
					(long) last.failures()));
		}
		markdown.append(problems.isEmpty() ? "PASSED: no growth, every backup verified.\n"
				: "FAILED:\n- " + String.join("\n- ", problems) + "\n");
		Files.writeString(options.work().resolve("soak.md"), markdown);
		StringBuilder csv = new StringBuilder("elapsed_s,fds,threads,rss_kib,heap_after_gc_bytes,backups,failures\n");
		for (Sample sample : samples) {
			csv.append(String.format("%d,%d,%d,%d,%.0f,%.0f,%.0f%n", sample.elapsed().toSeconds(),
					sample.stats().fileDescriptors(), sample.stats().threads(), sample.stats().rssKib(),
					sample.heapAfterGc(), sample.backups(), sample.failures()));
		}
		Files.writeString(options.work().resolve("soak.csv"), csv);
		System.out.println();
		System.out.print(markdown);
		System.out.println("Report: " + options.work().resolve("soak.md"));
	}

	static String sha256(Path file) throws Exception {
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
			in.transferTo(OutputStream.nullOutputStream());
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	static String run(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
		process.waitFor();
		return output;
	}

	private static void deleteRecursively(Path directory) throws IOException {
		if (Files.exists(directory)) {
			try (var files = Files.walk(directory)) {
				for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
					Files.delete(file);
				}
			}
		}
	}

}

package io.github.sqlitebackup.sample.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.jayway.jsonpath.DocumentContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL at random points of backups of the packaged sample app, which keeps taking
 * writes: at each stage of a backup in turn (copy, verify, publish, retention), after a
 * random delay from the moment the app logs that it entered the stage. After every
 * restart: no temporary file is left, the catalog lists exactly the backups on disk that
 * have a manifest, every one matches its manifest's SHA-256 and passes the {@code sqlite3}
 * shell's {@code integrity_check}, and so does the live database.
 */
class BackupCrashIT {

	private static final int KILLS = 24;

	private static final int KEEP_LAST = 3;

	/** Each stage with the longest random delay after its log line, about its duration here. */
	private static final Map<String, Integer> STAGES = stages();

	@Test
	void killedBackupsNeverLoseOrDamageAPublishedBackup() throws Exception {
		Path work = Files.createDirectories(Path.of("target", "e2e"));
		Path dataDir = Files.createTempDirectory(work, "crash-");
		Path backups = dataDir.resolve("backups");
		DataDirectory.addBulkNotes(dataDir.resolve("notes.db"), 120_000);
		long seed = System.nanoTime();
		Random random = new Random(seed);
		List<String> report = new ArrayList<>();
		List<String> stages = List.copyOf(STAGES.keySet());
		int notesWritten = 0;
		SampleAppProcess app = start(dataDir);
		try {
			for (int kill = 0; kill < KILLS; kill++) {
				assertConsistent(app, dataDir);
				String stage = stages.get(kill % stages.size());
				int delay = random.nextInt(STAGES.get(stage) + 1);
				try (Load load = new Load(app)) {
					app.awaitLog("Backup stage " + stage + ":", Duration.ofSeconds(60));
					Thread.sleep(delay);
					app.kill();
					notesWritten += load.notes.get();
				}
				report.add(String.format("kill %2d: %-9s +%3d ms -> %s", kill + 1, stage, delay, leftBehind(backups)));
				app = start(dataDir);
			}
			assertConsistent(app, dataDir);
			assertThat(DataDirectory.published(backups)).as("backups were published between the kills").isNotEmpty();
		}
		finally {
			app.close();
		}
		System.out.printf("[figures] %d SIGKILLs during backups (seed %d, %d notes written meanwhile), all survived:%n",
				KILLS, seed, notesWritten);
		report.forEach((line) -> System.out.println("[figures]   " + line));
	}

	private static SampleAppProcess start(Path dataDir) throws Exception {
		return SampleAppProcess.start(dataDir, "--sqlite.backup.schedule.initial-delay=1h", "--sqlite.backup.step-size=200",
				"--sqlite.backup.step-pause=2ms", "--sqlite.backup.retention.keep-last=" + KEEP_LAST,
				"--sqlite.backup.skip-if-unchanged=false", "--sqlite.backup.endpoint.response-timeout=5ms",
				"--logging.level.io.github.sqlitebackup=DEBUG");
	}

	/**
	 * What a kill left in the backup directory, before the restart cleans up.
	 */
	private static String leftBehind(Path backups) throws Exception {
		List<String> found = new ArrayList<>();
		if (!DataDirectory.stagingFiles(backups).isEmpty()) {
			found.add("staging file");
		}
		List<String> published = DataDirectory.published(backups);
		if (DataDirectory.names(backups, (name) -> name.endsWith(".manifest.json"))
			.stream()
			.anyMatch((manifest) -> !published.contains(manifest.replace(".manifest.json", "")))) {
			found.add("manifest without backup");
		}
		if (published.size() > KEEP_LAST) {
			found.add((published.size() - KEEP_LAST) + " backup(s) beyond keep-last");
		}
		return found.isEmpty() ? "nothing" : String.join(", ", found);
	}

	private static void assertConsistent(SampleAppProcess app, Path dataDir) throws Exception {
		Path backups = dataDir.resolve("backups");
		assertThat(DataDirectory.stagingFiles(backups)).as("temporary files after a restart").isEmpty();
		assertThat(DataDirectory.stagingFiles(dataDir)).isEmpty();
		List<String> onDisk = DataDirectory.published(backups);
		List<String> manifests = DataDirectory.names(backups, (name) -> name.endsWith(".manifest.json"));
		assertThat(manifests).as("one manifest per backup, no other")
			.containsExactlyElementsOf(onDisk.stream().map((name) -> name + ".manifest.json").toList());
		DocumentContext catalog = app.get(app.actuator("/sqlitebackup"));
		List<String> listed = catalog.read("$.databases.notes.backups[*].name");
		assertThat(listed).as("the catalog lists the backups on disk").containsExactlyInAnyOrderElementsOf(onDisk);
		for (String name : onDisk) {
			Path file = backups.resolve(name);
			String expected = app.get(app.actuator("/sqlitebackup/" + name)).read("$.sha256");
			String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
			assertThat(actual).as(name + " matches its manifest").isEqualTo(expected);
			assertThat(DataDirectory.sqlite3(file, "PRAGMA integrity_check;")).as(name).isEqualTo("ok");
		}
		assertThat(DataDirectory.sqlite3(dataDir.resolve("notes.db"), "PRAGMA integrity_check;"))
			.as("the live database").isEqualTo("ok");
	}

	private static Map<String, Integer> stages() {
		Map<String, Integer> stages = new LinkedHashMap<>();
		stages.put("copy", 400);
		stages.put("verify", 60);
		stages.put("publish", 150);
		stages.put("retention", 30);
		return stages;
	}

	/**
	 * Notes written and backups triggered back to back, until closed.
	 */
	private static final class Load implements AutoCloseable {

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicInteger notes = new AtomicInteger();

		private final List<Thread> threads;

		Load(SampleAppProcess app) {
			Thread writer = start(() -> {
				while (this.running.get()) {
					try {
						if (app.send("POST", app.app("/notes"), "{\"text\":\"during backups\"}").statusCode() == 201) {
							this.notes.incrementAndGet();
						}
						Thread.sleep(5);
					}
					catch (Exception ex) {
						// the app is being killed
					}
				}
			});
			Thread trigger = start(() -> {
				while (this.running.get()) {
					try {
						app.send("POST", app.actuator("/sqlitebackup"));
						Thread.sleep(20);
					}
					catch (Exception ex) {
						// the app is being killed
					}
				}
			});
			this.threads = List.of(writer, trigger);
		}

		private static Thread start(Runnable work) {
			Thread thread = new Thread(work, "crash-test-load");
			thread.setDaemon(true);
			thread.start();
			return thread;
		}

		@Override
		public void close() throws InterruptedException {
			this.running.set(false);
			for (Thread thread : this.threads) {
				thread.join(10_000);
			}
		}

	}

}

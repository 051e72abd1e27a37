package io.github.sqlitebackup.benchmarks.soak;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.json.JsonParser;
import org.springframework.boot.json.JsonParserFactory;

/**
 * The sample app in its own process, and what the soak asks it over HTTP.
 */
final class SampleApp implements AutoCloseable {

	private final Process process;

	private final Path log;

	private final int port;

	private final int managementPort;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final JsonParser json = JsonParserFactory.getJsonParser();

	private SampleApp(Process process, Path log, int port, int managementPort) {
		this.process = process;
		this.log = log;
		this.port = port;
		this.managementPort = managementPort;
	}

	static SampleApp start(Path jar, Path dataDir, List<String> arguments) throws Exception {
		int port = freePort();
		int managementPort = freePort();
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "--enable-native-access=ALL-UNNAMED", "-jar",
				jar.toString(), "--server.port=" + port, "--management.server.port=" + managementPort,
				"--sample.data-dir=" + dataDir));
		command.addAll(arguments);
		Path log = dataDir.resolveSibling("sample-app.log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		SampleApp app = new SampleApp(process, log, port, managementPort);
		app.awaitHealthy();
		return app;
	}

	long pid() {
		return this.process.pid();
	}

	Path log() {
		return this.log;
	}

	int post(String path, String body) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	/**
	 * GET an actuator path and parse its JSON.
	 * @param path the path below {@code /actuator}
	 * @return the parsed object, or an empty map for 404
	 */
	Map<String, Object> actuator(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.managementPort + "/actuator"
				+ path)).timeout(Duration.ofSeconds(30)).build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() == 404) {
			return Map.of();
		}
		if (response.statusCode() != 200) {
			throw new IOException("GET /actuator" + path + " answered " + response.statusCode() + ": " + response.body());
		}
		return this.json.parseMap(response.body());
	}

	/**
	 * Read one statistic of a meter.
	 * @param meterAndTags the meter's name, optionally with {@code ?tag=k:v}
	 * @param statistic e.g. {@code COUNT} or {@code VALUE}
	 * @return the value, 0 when the meter does not exist yet
	 */
	double meter(String meterAndTags, String statistic) throws IOException, InterruptedException {
		Object measurements = actuator("/metrics/" + meterAndTags).get("measurements");
		if (measurements instanceof List<?> list) {
			for (Object measurement : list) {
				Map<?, ?> entry = (Map<?, ?>) measurement;
				if (statistic.equals(entry.get("statistic"))) {
					return Double.parseDouble(String.valueOf(entry.get("value")));
				}
			}
		}
		return 0;
	}

	/**
	 * Stop the app as a platform would (SIGTERM) and wait for it.
	 * @return whether it exited within the timeout
	 */
	boolean stop(Duration timeout) throws InterruptedException {
		this.process.destroy();
		return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
			this.process.waitFor(30, TimeUnit.SECONDS);
		}
	}

	private void awaitHealthy() throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("The sample app exited:\n" + Files.readString(this.log));
			}
			try {
				if (!actuator("/health/ping").isEmpty()) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException("The sample app did not start; see " + this.log);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}

package io.github.sqlitebackup.sample.e2e;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;

/**
 * The packaged sample application, started as its own process with {@code java -jar}.
 */
final class SampleAppProcess implements AutoCloseable {

	private final Process process;

	private final Path log;

	private final HttpClient http = HttpClient.newHttpClient();

	private long logRead;

	final int port;

	final int managementPort;

	private SampleAppProcess(Process process, Path log, int port, int managementPort) {
		this.process = process;
		this.log = log;
		this.port = port;
		this.managementPort = managementPort;
	}

	/**
	 * Start the packaged application and wait until it is healthy.
	 * @param dataDir its data directory
	 * @param arguments more {@code --property=value} arguments
	 * @return the running application
	 */
	static SampleAppProcess start(Path dataDir, String... arguments) throws Exception {
		int port = freePort();
		int managementPort = freePort();
		while (managementPort == port) {
			// the system may hand out a port just closed again: the two servers need two
			managementPort = freePort();
		}
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar",
				jar().toString(), "--server.port=" + port, "--management.server.port=" + managementPort,
				"--sample.data-dir=" + dataDir));
		command.addAll(List.of(arguments));
		Path log = Files.createTempFile(dataDir.getParent(), "sample-app-", ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		SampleAppProcess app = new SampleAppProcess(process, log, port, managementPort);
		app.awaitHealthy();
		return app;
	}

	DocumentContext get(String url) throws Exception {
		return JsonPath.parse(send("GET", url).body());
	}

	HttpResponse<String> send(String method, String url) throws Exception {
		return send(method, url, null);
	}

	HttpResponse<String> send(String method, String url, String json) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
		if (json != null) {
			request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<byte[]> download(String url) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	String app(String path) {
		return "http://localhost:" + this.port + path;
	}

	String actuator(String path) {
		return "http://localhost:" + this.managementPort + "/actuator" + path;
	}

	/**
	 * Wait for a log line that contains a text and was written after the line the previous
	 * call returned, polling the log every millisecond.
	 * @param text the text
	 * @param timeout how long to wait
	 * @return the line
	 */
	String awaitLog(String text, Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		try (RandomAccessFile file = new RandomAccessFile(this.log.toFile(), "r")) {
			while (System.nanoTime() < deadline) {
				byte[] added = new byte[(int) (file.length() - this.logRead)];
				file.seek(this.logRead);
				file.readFully(added);
				int lineStart = 0;
				for (int i = 0; i < added.length; i++) {
					if (added[i] == '\n') {
						String line = new String(added, lineStart, i - lineStart, StandardCharsets.UTF_8);
						lineStart = i + 1;
						this.logRead += line.getBytes(StandardCharsets.UTF_8).length + 1;
						if (line.contains(text)) {
							return line;
						}
					}
				}
				if (!this.process.isAlive()) {
					throw new IllegalStateException("The sample app exited:\n" + Files.readString(this.log));
				}
				Thread.sleep(1);
			}
		}
		throw new IllegalStateException("No log line with '" + text + "' within " + timeout);
	}

	/**
	 * Kill the process with SIGKILL: no shutdown hook, no cleanup.
	 */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(30, TimeUnit.SECONDS);
	}

	@Override
	public void close() throws Exception {
		if (this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
				kill();
			}
		}
	}

	private void awaitHealthy() throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("The sample app exited:\n" + Files.readString(this.log));
			}
			try {
				if (send("GET", actuator("/health/ping")).statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException("The sample app did not start:\n" + Files.readString(this.log));
	}

	private static Path jar() throws IOException {
		try (var files = Files.list(Path.of("target"))) {
			return files.filter((file) -> file.getFileName().toString().matches("sample-app-.*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("Build the sample app's jar first (mvn package)"));
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}

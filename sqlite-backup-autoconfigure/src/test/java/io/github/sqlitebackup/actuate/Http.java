package io.github.sqlitebackup.actuate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;

/**
 * A plain HTTP client for the tests: paths are sent exactly as given, without
 * normalisation, so hostile names reach the server as an attacker would send them.
 */
final class Http {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	Http(int port) {
		this.base = "http://localhost:" + port;
	}

	HttpResponse<byte[]> send(String method, String rawPath) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.base + rawPath))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.timeout(Duration.ofSeconds(60))
			.build();
		return this.client.send(request, HttpResponse.BodyHandlers.ofByteArray());
	}

	Response get(String path) throws IOException, InterruptedException {
		return new Response(send("GET", path));
	}

	Response post(String path) throws IOException, InterruptedException {
		return new Response(send("POST", path));
	}

	Response delete(String path) throws IOException, InterruptedException {
		return new Response(send("DELETE", path));
	}

	record Response(HttpResponse<byte[]> raw) {

		int status() {
			return this.raw.statusCode();
		}

		String body() {
			return new String(this.raw.body(), java.nio.charset.StandardCharsets.UTF_8);
		}

		DocumentContext json() {
			return JsonPath.parse(body());
		}

		<T> T read(String path) {
			return json().read(path);
		}

		double measurement(String statistic) {
			java.util.List<Number> values = read("$.measurements[?(@.statistic=='" + statistic + "')].value");
			return values.get(0).doubleValue();
		}

	}

}

package io.github.sqlitebackup.actuate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.json.JsonParser;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.json.JsonWriter;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies on the {@code sqlitebackup} endpoint. None of its operations
 * takes parameters from the body, but actuator would parse any JSON body and ignore what it does not
 * know, so a request with unknown fields (or megabytes of them) would still run a backup
 * or a restore. This filter answers 413 for a body over {@value #MAX_BODY_BYTES} bytes
 * (without reading it) and 400 for any body other than nothing or an empty JSON object,
 * before the operation runs.
 */
public class EndpointRequestBodyFilter extends OncePerRequestFilter {

	/** The largest body that is read at all; an empty JSON object is far smaller. */
	public static final int MAX_BODY_BYTES = 1024;

	private static final JsonWriter<Map<String, Object>> ERROR_WRITER = JsonWriter.standard();

	private final JsonParser parser = JsonParserFactory.getJsonParser();

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long declaredLength = request.getContentLengthLong();
		if (declaredLength > MAX_BODY_BYTES) {
			refuse(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "PAYLOAD_TOO_LARGE",
					"the sqlitebackup endpoint takes no request body; this one has " + declaredLength + " bytes");
			return;
		}
		byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
		if (body.length > MAX_BODY_BYTES) {
			refuse(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "PAYLOAD_TOO_LARGE",
					"the sqlitebackup endpoint takes no request body; this one has more than " + MAX_BODY_BYTES
							+ " bytes");
			return;
		}
		String problem = problemWith(new String(body, StandardCharsets.UTF_8).strip());
		if (problem != null) {
			refuse(response, HttpServletResponse.SC_BAD_REQUEST, "BAD_REQUEST", problem);
			return;
		}
		chain.doFilter(new WithoutBody(request), response);
	}

	private @Nullable String problemWith(String body) {
		if (body.isEmpty()) {
			return null;
		}
		try {
			Map<String, Object> fields = this.parser.parseMap(body);
			return fields.isEmpty() ? null
					: "the sqlitebackup endpoint takes no parameters; remove " + fields.keySet() + " from the body";
		}
		catch (IllegalArgumentException ex) {
			return "the request body is not a JSON object; the sqlitebackup endpoint takes no body, or {}";
		}
	}

	private static void refuse(HttpServletResponse response, int status, String reason, String message)
			throws IOException {
		response.setStatus(status);
		response.setHeader("Connection", "close");
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getWriter().write(ERROR_WRITER.writeToString(Map.of("status", reason, "message", message)));
	}

	/**
	 * The request as the operation sees it once its body has been checked: without one.
	 */
	private static final class WithoutBody extends HttpServletRequestWrapper {

		WithoutBody(HttpServletRequest request) {
			super(request);
		}

		@Override
		public int getContentLength() {
			return 0;
		}

		@Override
		public long getContentLengthLong() {
			return 0;
		}

		@Override
		public ServletInputStream getInputStream() {
			return new EmptyInputStream();
		}

		@Override
		public BufferedReader getReader() {
			return new BufferedReader(new InputStreamReader(InputStream.nullInputStream(), StandardCharsets.UTF_8));
		}

	}

	private static final class EmptyInputStream extends ServletInputStream {

		@Override
		public int read() {
			return -1;
		}

		@Override
		public boolean isFinished() {
			return true;
		}

		@Override
		public boolean isReady() {
			return true;
		}

		@Override
		public void setReadListener(ReadListener listener) {
			throw new IllegalStateException("the sqlitebackup endpoint reads no body asynchronously");
		}

	}

}

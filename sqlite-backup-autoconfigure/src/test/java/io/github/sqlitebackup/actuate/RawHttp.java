package io.github.sqlitebackup.actuate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends a request whose body is too big to send whole, the way a client that reads the
 * answer early does: the head and the start of the body, then the answer is read. A
 * server that refuses the body without reading it all answers at once; one that reads
 * it would wait for the rest, and the read times out.
 */
final class RawHttp {

	private RawHttp() {
	}

	/**
	 * Send the start of a large body and read the answer.
	 * @param port the server's port
	 * @param path the raw path
	 * @param declaredLength the Content-Length to declare, or -1 for a chunked body
	 * @param bodyStart the bytes of the body that are sent
	 * @return the status code and the answer's body
	 */
	static Answer sendStartOfBody(int port, String path, long declaredLength, byte[] bodyStart) throws IOException {
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			String length = (declaredLength >= 0) ? "Content-Length: " + declaredLength
					: "Transfer-Encoding: chunked";
			out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + length
					+ "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			if (declaredLength < 0) {
				out.write((Integer.toHexString(bodyStart.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
			}
			out.write(bodyStart);
			out.flush();
			return read(socket.getInputStream());
		}
	}

	private static Answer read(InputStream in) throws IOException {
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		int count;
		while (!complete(received.toString(StandardCharsets.UTF_8)) && (count = in.read(buffer)) != -1) {
			received.write(buffer, 0, count);
		}
		String text = received.toString(StandardCharsets.UTF_8);
		int status = Integer.parseInt(text.substring(9, 12));
		int bodyStart = text.indexOf("\r\n\r\n");
		return new Answer(status, (bodyStart < 0) ? "" : text.substring(bodyStart + 4));
	}

	private static boolean complete(String text) {
		int headEnd = text.indexOf("\r\n\r\n");
		if (headEnd < 0) {
			return false;
		}
		String head = text.substring(0, headEnd).toLowerCase(java.util.Locale.ROOT);
		int length = head.indexOf("content-length:");
		if (length >= 0) {
			int end = head.indexOf("\r\n", length);
			long expected = Long.parseLong(head.substring(length + 15, (end < 0) ? head.length() : end).strip());
			return text.length() - headEnd - 4 >= expected;
		}
		return !head.contains("transfer-encoding: chunked") || text.endsWith("0\r\n\r\n");
	}

	record Answer(int status, String body) {
	}

}

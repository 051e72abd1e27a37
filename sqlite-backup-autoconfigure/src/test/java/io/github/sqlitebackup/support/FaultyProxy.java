package io.github.sqlitebackup.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback between a client and a server that injects faults into the
 * connections it accepts: each new connection takes the next fault queued (or passes
 * through). Faults are real network behaviour: a connection reset part-way through a
 * request, an HTTP 503 answer, a slow link.
 */
public final class FaultyProxy implements AutoCloseable {

	private final ServerSocket listener;

	private final int targetPort;

	private final ExecutorService threads = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "faulty-proxy");
		thread.setDaemon(true);
		return thread;
	});

	private final Deque<Fault> faults = new ArrayDeque<>();

	private final AtomicLong forwardedUpstream = new AtomicLong();

	private volatile long slowDelayMillis;

	private volatile CountDownLatch upstreamBytes = new CountDownLatch(0);

	private volatile long upstreamThreshold = Long.MAX_VALUE;

	/**
	 * Start a proxy to a port on loopback.
	 * @param targetPort the server's port
	 * @throws IOException if it cannot listen
	 */
	public FaultyProxy(int targetPort) throws IOException {
		this.targetPort = targetPort;
		this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.threads.execute(this::accept);
	}

	/**
	 * Return the endpoint clients connect to.
	 * @return {@code http://127.0.0.1:port}
	 */
	public String endpoint() {
		return "http://127.0.0.1:" + this.listener.getLocalPort();
	}

	/**
	 * Queue faults for the next connections, in order.
	 * @param next the faults
	 */
	public synchronized void queue(Fault... next) {
		for (Fault fault : next) {
			this.faults.addLast(fault);
		}
	}

	/**
	 * Return how many faults are still queued.
	 * @return the number
	 */
	public synchronized int queued() {
		return this.faults.size();
	}

	/**
	 * Slow every forwarded chunk (up to 16 KiB) down by a delay; 0 for full speed.
	 * @param delayMillis the delay per chunk
	 */
	public void slowDown(long delayMillis) {
		this.slowDelayMillis = delayMillis;
	}

	/**
	 * Return a latch released once this many more bytes went from clients to the server.
	 * @param bytes the number of bytes
	 * @return the latch
	 */
	public CountDownLatch afterUpstreamBytes(long bytes) {
		CountDownLatch latch = new CountDownLatch(1);
		this.upstreamThreshold = this.forwardedUpstream.get() + bytes;
		this.upstreamBytes = latch;
		return latch;
	}

	private synchronized Fault nextFault() {
		Fault fault = this.faults.pollFirst();
		return (fault != null) ? fault : Fault.PASS;
	}

	private void accept() {
		while (!this.listener.isClosed()) {
			try {
				Socket client = this.listener.accept();
				Fault fault = nextFault();
				this.threads.execute(() -> serve(client, fault));
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void serve(Socket client, Fault fault) {
		try (client) {
			if (fault == Fault.ANSWER_503) {
				readRequestHead(client.getInputStream());
				byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>ServiceUnavailable</Code>"
						+ "<Message>injected</Message></Error>").getBytes(StandardCharsets.UTF_8);
				OutputStream out = client.getOutputStream();
				out.write(("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/xml\r\nContent-Length: "
						+ body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
				out.write(body);
				out.flush();
				return;
			}
			try (Socket server = new Socket()) {
				server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.targetPort));
				long resetAfter = (fault == Fault.RESET_AFTER_64K) ? 64 * 1024 : Long.MAX_VALUE;
				this.threads.execute(() -> pump(server, client, Long.MAX_VALUE, false));
				pump(client, server, resetAfter, true);
			}
		}
		catch (IOException ex) {
			// the connection ends
		}
	}

	private void pump(Socket from, Socket to, long resetAfter, boolean upstream) {
		byte[] buffer = new byte[16 * 1024];
		long sent = 0;
		try {
			InputStream in = from.getInputStream();
			OutputStream out = to.getOutputStream();
			int read;
			while ((read = in.read(buffer)) >= 0) {
				if (sent + read > resetAfter) {
					// a connection reset part-way through the request
					from.setSoLinger(true, 0);
					to.setSoLinger(true, 0);
					from.close();
					to.close();
					return;
				}
				long delay = this.slowDelayMillis;
				if (delay > 0) {
					Thread.sleep(delay);
				}
				out.write(buffer, 0, read);
				out.flush();
				sent += read;
				if (upstream && this.forwardedUpstream.addAndGet(read) >= this.upstreamThreshold) {
					this.upstreamBytes.countDown();
				}
			}
			to.shutdownOutput();
		}
		catch (IOException ex) {
			closeQuietly(from);
			closeQuietly(to);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void readRequestHead(InputStream in) throws IOException {
		int matched = 0;
		byte[] end = { '\r', '\n', '\r', '\n' };
		int b;
		while (matched < 4 && (b = in.read()) >= 0) {
			matched = (b == end[matched]) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

	@Override
	public void close() throws IOException {
		this.listener.close();
		this.threads.shutdownNow();
	}

	/**
	 * What happens to one connection.
	 */
	public enum Fault {

		/** Passed through. */
		PASS,

		/** Reset (TCP RST) after 64 KiB of the request were forwarded. */
		RESET_AFTER_64K,

		/** Answered with HTTP 503 and closed, without reaching the server. */
		ANSWER_503

	}

}

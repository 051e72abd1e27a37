package io.github.sqlitebackup.offsite;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The read-ahead stage of restores: the same bytes in the same order, the source's failure
 * at the position it happened as the same exception, and no thread left after close.
 */
class ReadAheadInputStreamTests {

	@Test
	void passesEveryByteInOrder() throws IOException {
		byte[] content = new byte[5 * 1024 * 1024 + 12345];
		new Random(7).nextBytes(content);
		try (InputStream in = new ReadAheadInputStream(new ByteArrayInputStream(content), "test-read-ahead")) {
			assertThat(in.readAllBytes()).isEqualTo(content);
			assertThat(in.read()).isEqualTo(-1);
		}
	}

	@Test
	void theSourcesFailureArrivesAfterTheBytesBeforeIt() throws IOException {
		IOException mismatch = new IOException("does not match its manifest");
		InputStream failing = new InputStream() {

			private int left = 3 * 1024 * 1024 + 10;

			@Override
			public int read() throws IOException {
				if (this.left == 0) {
					throw mismatch;
				}
				this.left--;
				return 'x';
			}

		};
		try (InputStream in = new ReadAheadInputStream(failing, "test-read-ahead")) {
			byte[] before = in.readNBytes(3 * 1024 * 1024 + 10);
			assertThat(before).hasSize(3 * 1024 * 1024 + 10);
			assertThatExceptionOfType(IOException.class).isThrownBy(in::read).isSameAs(mismatch);
			assertThatExceptionOfType(IOException.class).as("again on the next read").isThrownBy(in::read)
				.isSameAs(mismatch);
		}
	}

	@Test
	void closeStopsTheThreadAndClosesTheSource() throws Exception {
		boolean[] closed = new boolean[1];
		InputStream endless = new InputStream() {

			@Override
			public int read() {
				return 1;
			}

			@Override
			public void close() {
				closed[0] = true;
			}

		};
		InputStream in = new ReadAheadInputStream(endless, "test-read-ahead-endless");
		assertThat(in.read()).isEqualTo(1);
		in.close();
		assertThat(closed[0]).isTrue();
		assertThat(Thread.getAllStackTraces().keySet()).noneMatch(
				(thread) -> thread.getName().equals("test-read-ahead-endless") && thread.isAlive());
		assertThatExceptionOfType(IOException.class).isThrownBy(in::read);
	}

}

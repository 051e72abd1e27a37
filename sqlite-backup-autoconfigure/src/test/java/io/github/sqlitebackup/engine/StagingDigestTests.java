package io.github.sqlitebackup.engine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sqlitebackup.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * {@link StagingDigest}: the digest of a file digested range by range is the file's, and a
 * range that could not be read fails it, even when later ranges could be.
 */
class StagingDigestTests {

	private static final int MIB = 1024 * 1024;

	@TempDir
	Path dir;

	@Test
	void theDigestOfAFileDigestedRangeByRangeIsTheFiles() throws Exception {
		Path file = write(this.dir.resolve("copy"), 9 * MIB + 123);
		try (StagingDigest digest = new StagingDigest(file)) {
			for (long end = 4 * MIB; end < Files.size(file); end += 4 * MIB) {
				digest.add(end);
			}
			digest.add(Files.size(file));
			assertThat(digest.finish()).isEqualTo(TestDatabase.sha256(file));
		}
	}

	@Test
	void aRangeThatCouldNotBeReadFailsTheDigestWhateverFollows() throws Exception {
		Path file = write(this.dir.resolve("copy"), 8 * MIB);
		byte[] content = Files.readAllBytes(file);
		// ranges are digested at once here, so that the file can change between two of them
		try (StagingDigest digest = new StagingDigest(file, new InlineExecutor())) {
			try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
				channel.truncate(MIB);
			}
			digest.add(4 * MIB);
			Files.write(file, content);
			digest.add(8 * MIB);
			assertThatIOException().isThrownBy(digest::finish).withMessageContaining("shorter");
		}
	}

	private static Path write(Path file, int size) throws IOException {
		byte[] content = new byte[size];
		new Random(size).nextBytes(content);
		return Files.write(file, content);
	}

	/** Runs each task when it is submitted. */
	private static final class InlineExecutor extends AbstractExecutorService {

		private boolean shutdown;

		@Override
		public void execute(Runnable command) {
			command.run();
		}

		@Override
		public void shutdown() {
			this.shutdown = true;
		}

		@Override
		public List<Runnable> shutdownNow() {
			this.shutdown = true;
			return List.of();
		}

		@Override
		public boolean isShutdown() {
			return this.shutdown;
		}

		@Override
		public boolean isTerminated() {
			return this.shutdown;
		}

		@Override
		public boolean awaitTermination(long timeout, TimeUnit unit) {
			return true;
		}

	}

}

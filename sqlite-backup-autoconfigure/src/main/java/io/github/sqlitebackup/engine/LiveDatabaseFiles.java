package io.github.sqlitebackup.engine;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Reads the start of a database file that SQLite may have open in this process without
 * ever closing a descriptor of it. Closing any descriptor of a file releases every POSIX
 * advisory lock the process holds on it, SQLite's own included: another process then sees
 * no connection here, and its last connection to close checkpoints and deletes the
 * {@code -wal} and {@code -shm} files under this application's open connections (see
 * "POSIX advisory locks canceled by a separate thread doing close()" in SQLite's "How To
 * Corrupt An SQLite Database File"). So each database file is opened once, by its file key
 * (device and inode), and kept open for the life of the JVM, the way SQLite's own unix VFS
 * defers such closes; only a file that its path no longer leads to (deleted or replaced,
 * so no other process can open it any more) is closed. Reads are not interruptible: an
 * interrupted {@code FileChannel} operation would close the descriptor, so the kernel
 * copies of a {@link Copier} run on a thread of its own that nothing interrupts.
 */
public final class LiveDatabaseFiles {

	private static final Map<Object, OpenFile> OPEN = new HashMap<>();

	/**
	 * Read the first bytes of a database file.
	 * @param database the database file
	 * @param length how many bytes at most
	 * @return the bytes, fewer if the file is shorter
	 * @throws IOException if the file cannot be read
	 */
	public static synchronized byte[] readStart(Path database, int length) throws IOException {
		RandomAccessFile file = open(database);
		byte[] bytes = new byte[length];
		int total = 0;
		file.seek(0);
		while (total < length) {
			int read = file.read(bytes, total, length - total);
			if (read < 0) {
				break;
			}
			total += read;
		}
		return Arrays.copyOf(bytes, total);
	}

	/**
	 * Start copying ranges of a database file with the kernel's copy, through the descriptor
	 * kept open, on a thread of the copier's own that nothing interrupts.
	 * @param database the database file
	 * @return the copier, to be closed when done (which ends its thread)
	 * @throws IOException if the file cannot be opened
	 */
	public static synchronized Copier copier(Path database) throws IOException {
		return new Copier(database, open(database).getChannel());
	}

	private static RandomAccessFile open(Path database) throws IOException {
		closeUnreachable();
		Object key = key(database);
		OpenFile open = OPEN.get(key);
		if (open == null) {
			open = new OpenFile(database, new RandomAccessFile(database.toFile(), "r"));
			OPEN.put(key, open);
		}
		return open.file();
	}

	private static void closeUnreachable() {
		for (Iterator<Map.Entry<Object, OpenFile>> entries = OPEN.entrySet().iterator(); entries.hasNext();) {
			Map.Entry<Object, OpenFile> entry = entries.next();
			Object now;
			try {
				now = key(entry.getValue().path());
			}
			catch (IOException ex) {
				now = null;
			}
			if (!entry.getKey().equals(now)) {
				entries.remove();
				try {
					entry.getValue().file().close();
				}
				catch (IOException ex) {
					// nothing holds it any more
				}
			}
		}
	}

	private static Object key(Path file) throws IOException {
		Object fileKey = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
		return (fileKey != null) ? fileKey : file.toRealPath();
	}

	private record OpenFile(Path path, RandomAccessFile file) {
	}

	/**
	 * Copies ranges of one database file; the calling thread waits for each copy
	 * uninterruptibly (keeping its interrupt status) while it runs on the copier's thread.
	 */
	public static final class Copier implements AutoCloseable {

		private final Path database;

		private final FileChannel source;

		private final ExecutorService thread = Executors.newSingleThreadExecutor((task) -> {
			Thread copying = new Thread(task, "sqlite-backup-live-file-copy");
			copying.setDaemon(true);
			return copying;
		});

		private Copier(Path database, FileChannel source) {
			this.database = database;
			this.source = source;
		}

		/**
		 * Copy a range of the database file.
		 * @param position where the range starts
		 * @param count how many bytes at most
		 * @param target where to write, at its position (advanced by the bytes written)
		 * @return the bytes copied, fewer if the file is shorter
		 * @throws IOException if the file cannot be read or the target written
		 */
		public long transferTo(long position, long count, FileChannel target) throws IOException {
			Future<Long> copy = this.thread.submit(() -> this.source.transferTo(position, count, target));
			try {
				return Uninterruptibly.get(copy);
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof IOException io) {
					throw io;
				}
				throw new IOException("Cannot copy " + this.database + ": " + ex.getCause(), ex.getCause());
			}
		}

		/**
		 * End the copier's thread, which has nothing left to do: each copy was waited for.
		 */
		@Override
		public void close() {
			this.thread.shutdown();
			boolean interrupted = false;
			while (!this.thread.isTerminated()) {
				try {
					this.thread.awaitTermination(1, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}

	}

}

package io.github.sqlitebackup.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether this process holds POSIX locks on a file, read from Linux's {@code /proc/locks}:
 * SQLite holds them on the databases (and {@code -shm} files) it has open in WAL mode, and
 * on any database during a transaction. Such a file must not be opened and closed outside
 * SQLite here: the close would drop those locks. Elsewhere than Linux nothing is known and
 * the answer is {@code false}.
 */
final class ProcessLocks {

	private static final Path PROC_LOCKS = Path.of("/proc/locks");

	/** What {@code UnixFileKey.toString()} gives: the device number in hex and the inode. */
	private static final Pattern FILE_KEY = Pattern.compile("\\(dev=[0-9a-f]+,ino=(\\d+)\\)");

	private ProcessLocks() {
	}

	/**
	 * Return whether this process holds a lock on a file.
	 * @param file the file
	 * @return {@code true} if {@code /proc/locks} lists a lock of this process on it
	 */
	static boolean heldOn(Path file) {
		try {
			if (!Files.isReadable(PROC_LOCKS)) {
				return false;
			}
			Matcher key = FILE_KEY.matcher(String.valueOf(Files.readAttributes(file, BasicFileAttributes.class).fileKey()));
			if (!key.matches()) {
				return false;
			}
			// the inode alone: /proc/locks names the device of the file system's superblock, which
			// is not the one stat() reports on overlays and btrfs subvolumes (a lock of this process
			// on another file with the same inode number elsewhere refuses a restore needlessly)
			String inode = ":" + key.group(1);
			String pid = Long.toString(ProcessHandle.current().pid());
			List<String> locks = Files.readAllLines(PROC_LOCKS);
			for (String lock : locks) {
				// "1: POSIX  ADVISORY  READ 4242 fd:01:123456 1073741826 1073742335"
				String[] fields = lock.trim().split("\\s+");
				for (int i = 0; i + 1 < fields.length; i++) {
					if (fields[i].equals(pid) && fields[i + 1].endsWith(inode)) {
						return true;
					}
				}
			}
			return false;
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

}

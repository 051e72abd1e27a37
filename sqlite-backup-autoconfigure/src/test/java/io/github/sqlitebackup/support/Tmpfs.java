package io.github.sqlitebackup.support;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for a test, to make a real file system run out of space. Needs
 * root (CI runs as root).
 */
public final class Tmpfs implements AutoCloseable {

	private final Path directory;

	private Tmpfs(Path directory) {
		this.directory = directory;
	}

	/**
	 * Mount a tmpfs of the given size on a directory.
	 * @param directory an existing, empty directory
	 * @param size a size for {@code mount -o size=}, e.g. {@code 3m}
	 * @return the mounted file system, or {@code null} where mounting is impossible here
	 * (never in CI, where the test fails instead of being skipped)
	 */
	public static Tmpfs mount(Path directory, String size) throws Exception {
		boolean mounted = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", directory.toString());
		if (!mounted && System.getenv("CI") != null) {
			throw new IllegalStateException("Cannot mount a tmpfs on " + directory + "; CI runs as root and must run "
					+ "this test rather than skip it");
		}
		return mounted ? new Tmpfs(directory) : null;
	}

	/**
	 * Change the size of the mounted file system.
	 * @param size the new size
	 */
	public void resize(String size) throws Exception {
		if (!run("mount", "-o", "remount,size=" + size, this.directory.toString())) {
			throw new IllegalStateException("Cannot resize the tmpfs on " + this.directory);
		}
	}

	/**
	 * Remount the file system read-only or read-write.
	 * @param mode {@code ro} or {@code rw}
	 */
	public void remount(String mode) throws Exception {
		if (!run("mount", "-o", "remount," + mode, this.directory.toString())) {
			throw new IllegalStateException("Cannot remount the tmpfs on " + this.directory + " " + mode);
		}
	}

	@Override
	public void close() throws Exception {
		run("umount", "-l", this.directory.toString());
	}

	private static boolean run(String... command) throws Exception {
		try {
			Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
			return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (java.io.IOException ex) {
			return false;
		}
	}

}

package io.github.sqlitebackup.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * SHA-256 of files, read in a stream so memory stays constant whatever the file's size; a
 * finished copy's digest can be computed on a thread of its own while the copy is checked.
 */
public final class FileDigest {

	private FileDigest() {
	}

	/**
	 * Return the SHA-256 of a file.
	 * @param file the file
	 * @return the digest in lower-case hex
	 * @throws IOException if the file cannot be read
	 */
	public static String sha256(Path file) throws IOException {
		MessageDigest digest = newSha256();
		try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
			in.transferTo(OutputStream.nullOutputStream());
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	/**
	 * Return a new SHA-256 digest.
	 * @return the digest
	 */
	public static MessageDigest newSha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

	/**
	 * Start computing a file's SHA-256 on a thread of its own.
	 * @param file the file, which must not change meanwhile
	 * @return the digest to come
	 */
	static CompletableFuture<String> sha256Async(Path file) {
		CompletableFuture<String> digest = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				digest.complete(sha256(file));
			}
			catch (Throwable ex) {
				// whatever ends the thread ends the wait for it
				digest.completeExceptionally(ex);
			}
		}, "sqlite-backup-digest");
		thread.setDaemon(true);
		thread.start();
		return digest;
	}

	/**
	 * Wait for a digest started by {@link #sha256Async(Path)}.
	 * @param digest the digest to come
	 * @return the digest in lower-case hex
	 * @throws IOException if the file could not be read
	 */
	static String await(CompletableFuture<String> digest) throws IOException {
		try {
			return digest.join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof IOException io) {
				throw io;
			}
			throw ex;
		}
	}

}

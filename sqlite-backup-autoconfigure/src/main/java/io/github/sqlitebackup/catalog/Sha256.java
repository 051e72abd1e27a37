package io.github.sqlitebackup.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of files, read in a stream so memory stays constant whatever the file's size.
 */
public final class Sha256 {

	private Sha256() {
	}

	/**
	 * Return the SHA-256 of a file.
	 * @param file the file
	 * @return the digest in lower-case hex
	 * @throws IOException if the file cannot be read
	 */
	public static String of(Path file) throws IOException {
		MessageDigest digest = newDigest();
		try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
			in.transferTo(OutputStream.nullOutputStream());
		}
		return hex(digest);
	}

	/**
	 * Return a new SHA-256 digest.
	 * @return the digest
	 */
	public static MessageDigest newDigest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

	/**
	 * Complete a digest.
	 * @param digest the digest of everything read or written
	 * @return its value in lower-case hex
	 */
	public static String hex(MessageDigest digest) {
		return HexFormat.of().formatHex(digest.digest());
	}

}

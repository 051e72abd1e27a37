package io.github.sqlitebackup.catalog;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import io.github.sqlitebackup.engine.FileDigest;

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
		return FileDigest.sha256(file);
	}

	/**
	 * Return a new SHA-256 digest.
	 * @return the digest
	 */
	public static MessageDigest newDigest() {
		return FileDigest.newSha256();
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

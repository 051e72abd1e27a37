package io.github.sqlitebackup.offsite;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import io.github.sqlitebackup.catalog.BackupManifest;

/**
 * Reads stored backups back as plain SQLite files: checks the stored object's size and
 * SHA-256, decrypts with the configured age identities, decompresses, and checks the plain
 * file's size and SHA-256, each when its stream ends. A reader that reads to the end either
 * has exactly the backup its manifest describes or gets an {@link IOException}.
 */
public final class BackupDecoder {

	private final List<String> ageIdentities;

	/**
	 * Create a decoder.
	 * @param ageIdentities the age identities ({@code AGE-SECRET-KEY-1...}) to decrypt with;
	 * empty when none is configured
	 */
	public BackupDecoder(List<String> ageIdentities) {
		this.ageIdentities = List.copyOf(ageIdentities);
	}

	/**
	 * Return whether this decoder can read a backup.
	 * @param backup the backup's manifest
	 * @throws BackupNotReadableException if it cannot, with the reason
	 */
	public void checkReadable(BackupManifest backup) {
		Codec codec;
		try {
			codec = Codec.parse(backup.stored().codec());
		}
		catch (IllegalArgumentException ex) {
			throw new BackupNotReadableException("Backup " + backup.name() + " cannot be read by this version: "
					+ ex.getMessage());
		}
		if (codec.encrypted() && this.ageIdentities.isEmpty()) {
			throw new BackupNotReadableException("Backup " + backup.name() + " is encrypted with age (" + codec.id()
					+ "): reading it needs the identity of one of its recipients (sqlite.backup.remote.encryption."
					+ "age-identity-file, or --identity for the command-line tool).");
		}
		if (codec.compression() == Compression.ZSTD && !OptionalLibraries.hasZstd()) {
			throw new BackupNotReadableException("Backup " + backup.name() + " is compressed with zstd; add "
					+ "com.github.luben:zstd-jni to the class path to read it.");
		}
	}

	/**
	 * Decode an object that carries its own checks (a replication object): decrypt and
	 * decompress only.
	 * @param codec how it is stored
	 * @param stored the stored content, closed with the returned stream
	 * @param description names the object in messages
	 * @return the plain content
	 * @throws BackupNotReadableException if this decoder cannot read it
	 * @throws IOException if it cannot be decoded
	 */
	public InputStream decodeObject(Codec codec, InputStream stored, String description) throws IOException {
		if (codec.encrypted() && this.ageIdentities.isEmpty()) {
			stored.close();
			throw new BackupNotReadableException(description + " is encrypted with age (" + codec.id() + "): reading "
					+ "it needs the identity of one of its recipients (sqlite.backup.remote.encryption."
					+ "age-identity-file, or --identity for the command-line tool).");
		}
		InputStream in = stored;
		try {
			if (codec.encrypted()) {
				in = AgeStreams.decrypt(in, this.ageIdentities);
			}
			return codec.compression().decompress(in);
		}
		catch (IOException | RuntimeException ex) {
			in.close();
			throw ex;
		}
	}

	/**
	 * Decode a stored backup.
	 * @param backup the backup's manifest
	 * @param stored the stored object's content, closed with the returned stream
	 * @return the plain SQLite file's content, checked when it ends
	 * @throws BackupNotReadableException if this decoder cannot read it
	 * @throws IOException if it cannot be decoded
	 */
	public InputStream decode(BackupManifest backup, InputStream stored) throws IOException {
		return decode(backup, stored, false);
	}

	/**
	 * Decode a stored backup like {@link #decode(BackupManifest, InputStream)}, with the
	 * reading, checking, decryption and decompression running ahead of the caller on threads
	 * of their own (a few MiB ahead), for a restore that writes what it reads: its writes
	 * then overlap with that work on another core. Close the stream to stop the threads.
	 * @param backup the backup's manifest
	 * @param stored the stored object's content, closed with the returned stream
	 * @return the plain SQLite file's content, checked when it ends
	 * @throws BackupNotReadableException if this decoder cannot read it
	 * @throws IOException if it cannot be decoded
	 */
	public InputStream decodeAhead(BackupManifest backup, InputStream stored) throws IOException {
		return decode(backup, stored, true);
	}

	private InputStream decode(BackupManifest backup, InputStream stored, boolean ahead) throws IOException {
		checkReadable(backup);
		Codec codec = Codec.parse(backup.stored().codec());
		InputStream in = new VerifyingInputStream(stored, backup.stored().bytes(), backup.stored().sha256(),
				"The stored object of backup " + backup.name());
		try {
			if (codec.encrypted() || codec.compression() != Compression.NONE || !storedAsIs(backup)) {
				// the stored object's download and checksum apart from decryption and decompression
				in = ahead ? new ReadAheadInputStream(in, "sqlite-backup-read-" + backup.name()) : in;
				if (codec.encrypted()) {
					in = AgeStreams.decrypt(in, this.ageIdentities);
					// decryption apart from decompression and the plain checksum
					in = ahead ? new ReadAheadInputStream(in, "sqlite-backup-decrypt-" + backup.name()) : in;
				}
				in = codec.compression().decompress(in);
				in = new VerifyingInputStream(in, backup.bytes(), backup.sha256(), "Backup " + backup.name());
			}
			return ahead ? new ReadAheadInputStream(in, "sqlite-backup-decode-" + backup.name()) : in;
		}
		catch (IOException | RuntimeException ex) {
			try {
				in.close();
			}
			catch (IOException closing) {
				ex.addSuppressed(closing);
			}
			throw ex;
		}
	}

	/** A plain stored object that is the backup itself: one checksum covers both. */
	private static boolean storedAsIs(BackupManifest backup) {
		return backup.stored().bytes() == backup.bytes() && backup.stored().sha256().equals(backup.sha256());
	}

}

package io.github.sqlitebackup.offsite;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.List;

import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.catalog.Sha256;

/**
 * The form off-site copies are written in: compressed, then encrypted to age recipients
 * when there are any. Encoding streams the file, so memory stays constant whatever its size.
 */
public final class StoredForm {

	private final Compression compression;

	private final List<String> ageRecipients;

	/**
	 * Create a form.
	 * @param compression the compression
	 * @param ageRecipients the age recipients (X25519 public keys {@code age1...}) to
	 * encrypt to; empty for no encryption
	 */
	public StoredForm(Compression compression, List<String> ageRecipients) {
		this.compression = compression;
		this.ageRecipients = List.copyOf(ageRecipients);
	}

	/**
	 * Return the codec this form writes.
	 * @return the codec
	 */
	public Codec codec() {
		return new Codec(this.compression, !this.ageRecipients.isEmpty());
	}

	/**
	 * Encode a backup into a new file.
	 * @param plain the backup's content, a SQLite file, read to its end (not closed)
	 * @param target the file to write, which must not exist
	 * @return how the backup is stored
	 * @throws IOException if reading or writing fails
	 */
	public BackupManifest.Stored encode(InputStream plain, Path target) throws IOException {
		MessageDigest digest = Sha256.newDigest();
		try (OutputStream file = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
						StandardOpenOption.WRITE);
				OutputStream out = encoding(new DigestOutputStream(new BufferedOutputStream(file, 64 * 1024), digest))) {
			plain.transferTo(out);
		}
		return new BackupManifest.Stored(codec().id(), Files.size(target), Sha256.hex(digest));
	}

	private OutputStream encoding(OutputStream stored) throws IOException {
		OutputStream encrypted = this.ageRecipients.isEmpty() ? stored : AgeStreams.encrypt(stored, this.ageRecipients);
		return this.compression.compress(encrypted);
	}

	@Override
	public String toString() {
		return codec().id() + (this.ageRecipients.isEmpty() ? "" : " to " + this.ageRecipients.size() + " recipient(s)");
	}

}

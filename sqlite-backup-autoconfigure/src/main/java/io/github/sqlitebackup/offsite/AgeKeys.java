package io.github.sqlitebackup.offsite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * age keys: recipients (public keys) to encrypt to and identities (secret keys) to decrypt
 * with, checked before use. Messages never contain a secret key.
 */
public final class AgeKeys {

	/** An identity file is a few lines; anything larger is not one. */
	private static final long IDENTITY_FILE_LIMIT = 64 * 1024;

	private AgeKeys() {
	}

	/**
	 * Check recipients.
	 * @param recipients X25519 recipients, {@code age1...}
	 * @return the recipients, trimmed
	 * @throws IllegalArgumentException naming the first that is not one
	 */
	public static List<String> checkRecipients(List<String> recipients) {
		List<String> checked = new ArrayList<>();
		for (String recipient : recipients) {
			String trimmed = recipient.trim();
			try {
				AgeStreams.checkRecipient(trimmed);
			}
			catch (GeneralSecurityException | RuntimeException ex) {
				throw new IllegalArgumentException("'" + trimmed + "' is not an age X25519 recipient (age1..., as "
						+ "age-keygen -y prints it); SSH and plugin recipients are not supported");
			}
			checked.add(trimmed);
		}
		return checked;
	}

	/**
	 * Read the identities of an identity file, as {@code age-keygen} writes it: lines of
	 * {@code AGE-SECRET-KEY-1...}, comments starting with {@code #}, blank lines.
	 * @param file the file
	 * @return its identities, at least one
	 * @throws IllegalArgumentException if it cannot be read or holds no valid identity
	 */
	public static List<String> readIdentities(Path file) {
		List<String> lines;
		try {
			if (!Files.isRegularFile(file)) {
				throw new IllegalArgumentException("there is no file " + file);
			}
			if (Files.size(file) > IDENTITY_FILE_LIMIT) {
				throw new IllegalArgumentException(file + " is too large for an age identity file");
			}
			lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("cannot read " + file + ": " + ex.getMessage());
		}
		List<String> identities = new ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i).trim();
			if (line.isEmpty() || line.startsWith("#")) {
				continue;
			}
			try {
				AgeStreams.checkIdentity(line);
			}
			catch (GeneralSecurityException | RuntimeException ex) {
				throw new IllegalArgumentException("line " + (i + 1) + " of " + file + " is not an age X25519 identity "
						+ "(AGE-SECRET-KEY-1..., as age-keygen writes it)");
			}
			identities.add(line);
		}
		if (identities.isEmpty()) {
			throw new IllegalArgumentException(file + " holds no age identity");
		}
		return identities;
	}

}

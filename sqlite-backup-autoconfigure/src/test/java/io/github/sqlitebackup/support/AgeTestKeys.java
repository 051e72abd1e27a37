package io.github.sqlitebackup.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Two age key pairs made with {@code age-keygen} for tests only.
 */
public final class AgeTestKeys {

	/** Public key of the first pair. */
	public static final String RECIPIENT = "age19q48af8fs5qzleeeegmqdpd3r702ytt60f9y0gqpxu53wjyw3c7skxmacw";

	/** Secret key of the first pair. */
	public static final String IDENTITY = "AGE-SECRET-KEY-1WSMGN5SRVHPKKNPF2SRV0N5MULMZDQTWLC57WVJHG3CPA3J9YW4SFYND72";

	/** Public key of the second pair. */
	public static final String OTHER_RECIPIENT = "age136rkzqu8l7d302r0jy6rhpacp6yaa4kk0q0qm3mxgsp40xe8dg9s3sxyzt";

	/** Secret key of the second pair. */
	public static final String OTHER_IDENTITY = "AGE-SECRET-KEY-1KSAURWUFAYDU3EVE4HT67XH3FJLWLFH2MTYTKXGY8T4STFZGKKYSRJJF7N";

	private AgeTestKeys() {
	}

	/**
	 * Write an identity file as age-keygen does.
	 * @param file the file
	 * @param identity the secret key
	 * @return the file
	 * @throws IOException if it cannot be written
	 */
	public static Path identityFile(Path file, String identity) throws IOException {
		return Files.writeString(file, "# created: 2026-11-22T14:38:53Z\n# public key: (test)\n" + identity + "\n");
	}

}

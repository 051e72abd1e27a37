package io.github.sqlitebackup.storage;

import java.util.regex.Pattern;

/**
 * The keys a {@link BackupStorage} accepts: 1 to 255 ASCII letters, digits, {@code .},
 * {@code _} and {@code -}, starting with a letter or digit. Keys are one path segment:
 * they can never name a parent, a sub-directory or a hidden file.
 */
public final class StorageKeys {

	private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");

	private StorageKeys() {
	}

	/**
	 * Return whether a text is a valid key.
	 * @param key the text
	 * @return {@code true} if it is a key
	 */
	public static boolean isKey(String key) {
		return key != null && KEY.matcher(key).matches();
	}

	/**
	 * Check a key.
	 * @param key the text
	 * @return the key
	 * @throws IllegalArgumentException if it is not a valid key
	 */
	public static String check(String key) {
		if (!isKey(key)) {
			throw new IllegalArgumentException("Not a storage key: '" + key + "'; keys are 1 to 255 letters, digits, "
					+ "'.', '_' or '-', starting with a letter or digit");
		}
		return key;
	}

}

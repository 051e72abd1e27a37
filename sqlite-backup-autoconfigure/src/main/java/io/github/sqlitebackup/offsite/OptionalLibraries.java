package io.github.sqlitebackup.offsite;

import org.springframework.util.ClassUtils;

/**
 * Which optional codec libraries are on the class path.
 */
public final class OptionalLibraries {

	private OptionalLibraries() {
	}

	/**
	 * Return whether zstd-jni is on the class path.
	 * @return {@code true} if zstd can be written and read
	 */
	public static boolean hasZstd() {
		return ClassUtils.isPresent(Compression.ZSTD_CLASS, OptionalLibraries.class.getClassLoader());
	}

	/**
	 * Return whether jagged-x25519 is on the class path.
	 * @return {@code true} if age encryption can be written and read
	 */
	public static boolean hasAge() {
		return ClassUtils.isPresent(AgeStreams.JAGGED_CLASS, OptionalLibraries.class.getClassLoader());
	}

}

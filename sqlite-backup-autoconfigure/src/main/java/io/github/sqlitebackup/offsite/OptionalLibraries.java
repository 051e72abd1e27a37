package io.github.sqlitebackup.offsite;

import org.jspecify.annotations.Nullable;

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
		return hasZstd(OptionalLibraries.class.getClassLoader());
	}

	/**
	 * Return whether zstd-jni is visible to a class loader.
	 * @param classLoader the class loader, e.g. the application's
	 * @return {@code true} if zstd can be written and read
	 */
	public static boolean hasZstd(@Nullable ClassLoader classLoader) {
		return ClassUtils.isPresent(Compression.ZSTD_CLASS, classLoader);
	}

	/**
	 * Return whether jagged-x25519 is visible to a class loader.
	 * @param classLoader the class loader, e.g. the application's
	 * @return {@code true} if age encryption can be written and read
	 */
	public static boolean hasAge(@Nullable ClassLoader classLoader) {
		return ClassUtils.isPresent(AgeStreams.JAGGED_CLASS, classLoader);
	}

}

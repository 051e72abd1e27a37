package io.github.sqlitebackup;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * How a copy is checked before it is published. Every level also checks that the copy
 * has the page count and page size the copy reported.
 */
public enum Verification {

	/** No SQLite check beyond the page count. */
	NONE(null),

	/** {@code PRAGMA quick_check}: page and b-tree structure, in about the time of a read. */
	QUICK("quick_check"),

	/** {@code PRAGMA integrity_check}: also index consistency; slower on large databases. */
	FULL("integrity_check");

	private final @Nullable String pragma;

	Verification(@Nullable String pragma) {
		this.pragma = pragma;
	}

	/**
	 * Return the pragma that performs this check.
	 * @return {@code quick_check}, {@code integrity_check}, or {@code null} for none
	 */
	public @Nullable String pragma() {
		return this.pragma;
	}

	/**
	 * Return the level's name as it is written in properties and manifests.
	 * @return {@code none}, {@code quick} or {@code full}
	 */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

}

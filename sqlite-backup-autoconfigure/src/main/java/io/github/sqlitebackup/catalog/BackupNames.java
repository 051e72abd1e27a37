package io.github.sqlitebackup.catalog;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Names of the job's backup files: {@code <prefix>-<UTC timestamp>.db}, for example
 * {@code app-20261121T140503123Z.db}. Names sort chronologically and use only letters,
 * digits, {@code -}, {@code _} and one {@code .}, which are safe in URLs and on every
 * common file system. The prefix is the database id. Each backup's manifest is its name
 * plus {@value #MANIFEST_SUFFIX}. Names sort by creation time only as long as the clock
 * never steps back: the order of a catalog is its manifests' sequence numbers.
 */
public final class BackupNames {

	/** Suffix of the manifest beside each backup. */
	public static final String MANIFEST_SUFFIX = ".manifest.json";

	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
		.withZone(ZoneOffset.UTC);

	private static final String PREFIX_PATTERN = "[A-Za-z0-9][A-Za-z0-9_-]{0,63}";

	private static final Pattern BACKUP_NAME = Pattern.compile("(" + PREFIX_PATTERN + ")-\\d{8}T\\d{9}Z\\.db");

	private final String prefix;

	/**
	 * Create names with the given prefix.
	 * @param prefix letters, digits, {@code -} and {@code _}, starting with a letter or
	 * digit, at most 64 characters
	 */
	public BackupNames(String prefix) {
		this.prefix = checkPrefix(prefix);
	}

	/**
	 * Check a prefix.
	 * @param prefix the prefix
	 * @return the prefix
	 * @throws IllegalArgumentException if it is not 1 to 64 letters, digits, {@code -} or
	 * {@code _}, starting with a letter or digit
	 */
	public static String checkPrefix(String prefix) {
		if (prefix == null || !prefix.matches(PREFIX_PATTERN)) {
			throw new IllegalArgumentException("Backup name prefix '" + prefix + "' must be 1 to 64 letters, digits, "
					+ "'-' or '_', starting with a letter or digit");
		}
		return prefix;
	}

	/**
	 * Return the prefix of a backup name.
	 * @param name a backup name
	 * @return its prefix, or {@code null} if it is not a backup name
	 */
	public static @Nullable String prefixOf(String name) {
		Matcher matcher = BACKUP_NAME.matcher(name);
		return matcher.matches() ? matcher.group(1) : null;
	}

	/**
	 * Return the default prefix for a database: its file name without extension, with
	 * characters outside the safe set replaced.
	 * @param database the database file
	 * @return the prefix
	 */
	public static String defaultPrefix(Path database) {
		String name = database.getFileName().toString();
		int dot = name.lastIndexOf('.');
		String base = ((dot > 0) ? name.substring(0, dot) : name).replaceAll("[^A-Za-z0-9_-]", "-");
		base = base.replaceAll("^[-_]+", "");
		if (base.isEmpty()) {
			return "sqlite";
		}
		return base.substring(0, Math.min(base.length(), 64));
	}

	/**
	 * Return the backup name for a creation time.
	 * @param created the creation time
	 * @return the file name
	 */
	public String nameFor(Instant created) {
		return this.prefix + "-" + TIMESTAMP.format(created) + ".db";
	}

	/**
	 * Return whether a file name has the form of a backup name (of any prefix).
	 * @param name the file name
	 * @return {@code true} for a backup name
	 */
	public static boolean isBackupName(String name) {
		return name != null && BACKUP_NAME.matcher(name).matches();
	}

	/**
	 * Return the manifest's file name for a backup.
	 * @param backupName the backup's file name
	 * @return the manifest's file name
	 */
	public static String manifestName(String backupName) {
		return backupName + MANIFEST_SUFFIX;
	}

}

package io.github.sqlitebackup.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import io.github.sqlitebackup.catalog.RetentionPolicy;
import io.github.sqlitebackup.offsite.AgeKeys;
import io.github.sqlitebackup.offsite.BackupDecoder;
import io.github.sqlitebackup.offsite.Compression;
import io.github.sqlitebackup.offsite.OffsiteCopies;
import io.github.sqlitebackup.offsite.OptionalLibraries;
import io.github.sqlitebackup.offsite.StoredForm;

/**
 * Turns the {@code sqlite.backup.remote.*} properties into the parts of the off-site
 * copies, refusing what cannot work with a message that names the property.
 */
final class OffsiteSetup {

	private static final Log logger = LogFactory.getLog(OffsiteSetup.class);

	private static final String PREFIX = SqliteBackupRemoteProperties.PREFIX;

	private OffsiteSetup() {
	}

	static StoredForm storedForm(SqliteBackupRemoteProperties properties, @Nullable ClassLoader classLoader) {
		Compression compression = properties.getCompression();
		if (compression == null) {
			compression = OptionalLibraries.hasZstd(classLoader) ? Compression.ZSTD : Compression.GZIP;
			if (compression == Compression.GZIP) {
				logger.info("Off-site copies are compressed with gzip: zstd (the default) needs com.github.luben:zstd-jni "
						+ "on the class path");
			}
		}
		else if (compression == Compression.ZSTD && !OptionalLibraries.hasZstd(classLoader)) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + ".compression", "zstd",
					"zstd needs com.github.luben:zstd-jni on the class path (sqlite-backup-starter-s3 has it); "
							+ "or choose gzip or none");
		}
		List<String> configured = properties.getEncryption().getAgeRecipients();
		if (configured.isEmpty()) {
			return new StoredForm(compression, List.of());
		}
		requireAge(PREFIX + ".encryption.age-recipients", () -> String.valueOf(configured), classLoader);
		try {
			return new StoredForm(compression, AgeKeys.checkRecipients(configured));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + ".encryption.age-recipients", configured,
					ex.getMessage());
		}
	}

	static BackupDecoder decoder(SqliteBackupRemoteProperties properties, @Nullable ClassLoader classLoader) {
		Path identityFile = properties.getEncryption().getAgeIdentityFile();
		if (identityFile == null) {
			return new BackupDecoder(List.of());
		}
		requireAge(PREFIX + ".encryption.age-identity-file", identityFile::toString, classLoader);
		try {
			return new BackupDecoder(AgeKeys.readIdentities(identityFile));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + ".encryption.age-identity-file", identityFile,
					ex.getMessage());
		}
	}

	static OffsiteCopies.Settings settings(SqliteBackupRemoteProperties properties, RetentionPolicy local) {
		RetentionOverrides retention = properties.getRetention();
		int keepLast = (retention.getKeepLast() != null) ? retention.getKeepLast()
				: (local.keepLast() > 0) ? local.keepLast() : 24;
		if (keepLast < 1) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + ".retention.keep-last", keepLast,
					"must be 1 or more: off-site copies are the last copies");
		}
		int keepSafety = (retention.getKeepSafety() != null) ? retention.getKeepSafety() : local.keepSafety();
		Duration maxAge = (retention.getMaxAge() != null) ? retention.getMaxAge() : local.maxAge();
		RetentionPolicy policy;
		try {
			policy = new RetentionPolicy(keepLast, RetentionPolicy.checkMaxAge(maxAge),
					RetentionPolicy.checkKeep("keep-safety", keepSafety));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + ".retention", retention, ex.getMessage());
		}
		Duration initial = properties.getRetry().getInitialBackoff();
		Duration max = properties.getRetry().getMaxBackoff();
		if (initial == null || initial.isNegative() || initial.isZero()) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + ".retry.initial-backoff", initial,
					"must be positive");
		}
		if (max == null || max.compareTo(initial) < 0) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + ".retry.max-backoff", max,
					"must be at least retry.initial-backoff (" + initial + ")");
		}
		return new OffsiteCopies.Settings(policy, initial, max);
	}

	private static void requireAge(String property, Supplier<String> value, @Nullable ClassLoader classLoader) {
		if (!OptionalLibraries.hasAge(classLoader)) {
			throw new InvalidConfigurationPropertyValueException(property, value.get(),
					"age encryption needs com.exceptionfactory.jagged:jagged-x25519 on the class path "
							+ "(sqlite-backup-starter-s3 has it)");
		}
	}

}

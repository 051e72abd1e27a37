package io.github.sqlitebackup.autoconfigure;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

import io.github.sqlitebackup.offsite.Compression;

/**
 * Configuration properties of the off-site copies, prefix {@code sqlite.backup.remote}.
 * Off-site copies are on when {@code url} is set (or the application defines its own
 * {@link io.github.sqlitebackup.storage.BackupStorage} bean).
 */
@ConfigurationProperties(SqliteBackupRemoteProperties.PREFIX)
public class SqliteBackupRemoteProperties {

	static final String PREFIX = "sqlite.backup.remote";

	/**
	 * Where off-site copies go: s3://bucket/prefix (any S3-compatible service). Each
	 * database's backups are kept under <prefix>/<database id>/.
	 */
	private @Nullable String url;

	/**
	 * Endpoint of an S3-compatible service (MinIO, Cloudflare R2, Backblaze B2, Ceph,
	 * S3Proxy); AWS S3's regional endpoint when not set.
	 */
	private @Nullable URI endpoint;

	/**
	 * Region of the bucket. From the AWS default region chain when not set; us-east-1 when
	 * an endpoint is set.
	 */
	private @Nullable String region;

	/**
	 * Whether to address the bucket in the path (endpoint/bucket/key) rather than in the
	 * host name; most self-hosted S3-compatible services need it.
	 */
	private boolean pathStyleAccess;

	/**
	 * Access key id. With secret-access-key; the AWS default credentials chain when neither
	 * is set.
	 */
	private @Nullable String accessKeyId;

	/**
	 * Secret access key. Never logged nor shown.
	 */
	private @Nullable String secretAccessKey;

	/**
	 * When the client adds CRC checksums to uploads: when-required (only where S3 demands
	 * them; works with every S3-compatible service) or when-supported (the AWS SDK's
	 * default; some S3-compatible services reject it). Backups carry their own SHA-256
	 * either way.
	 */
	private ChecksumCalculation requestChecksumCalculation = ChecksumCalculation.WHEN_REQUIRED;

	/**
	 * Compression of off-site copies: none, gzip or zstd. Defaults to zstd (needs
	 * com.github.luben:zstd-jni; gzip without it).
	 */
	private @Nullable Compression compression;

	/**
	 * Size of the parts of multipart uploads; memory used by an upload. At least 5MB.
	 */
	private DataSize partSize = DataSize.ofMegabytes(8);

	private final Encryption encryption = new Encryption();

	@NestedConfigurationProperty
	private final RetentionOverrides retention = new RetentionOverrides();

	private final Retry retry = new Retry();

	public @Nullable String getUrl() {
		return this.url;
	}

	public void setUrl(@Nullable String url) {
		this.url = url;
	}

	public @Nullable URI getEndpoint() {
		return this.endpoint;
	}

	public void setEndpoint(@Nullable URI endpoint) {
		this.endpoint = endpoint;
	}

	public @Nullable String getRegion() {
		return this.region;
	}

	public void setRegion(@Nullable String region) {
		this.region = region;
	}

	public boolean isPathStyleAccess() {
		return this.pathStyleAccess;
	}

	public void setPathStyleAccess(boolean pathStyleAccess) {
		this.pathStyleAccess = pathStyleAccess;
	}

	public @Nullable String getAccessKeyId() {
		return this.accessKeyId;
	}

	public void setAccessKeyId(@Nullable String accessKeyId) {
		this.accessKeyId = accessKeyId;
	}

	public @Nullable String getSecretAccessKey() {
		return this.secretAccessKey;
	}

	public void setSecretAccessKey(@Nullable String secretAccessKey) {
		this.secretAccessKey = secretAccessKey;
	}

	public ChecksumCalculation getRequestChecksumCalculation() {
		return this.requestChecksumCalculation;
	}

	public void setRequestChecksumCalculation(ChecksumCalculation requestChecksumCalculation) {
		this.requestChecksumCalculation = requestChecksumCalculation;
	}

	public @Nullable Compression getCompression() {
		return this.compression;
	}

	public void setCompression(@Nullable Compression compression) {
		this.compression = compression;
	}

	public DataSize getPartSize() {
		return this.partSize;
	}

	public void setPartSize(DataSize partSize) {
		this.partSize = partSize;
	}

	public Encryption getEncryption() {
		return this.encryption;
	}

	public RetentionOverrides getRetention() {
		return this.retention;
	}

	public Retry getRetry() {
		return this.retry;
	}

	@Override
	public String toString() {
		// never the secret
		return "remote " + this.url;
	}

	/**
	 * When the S3 client adds checksums to requests.
	 */
	public enum ChecksumCalculation {

		/** Only where S3 requires one. */
		WHEN_REQUIRED,

		/** Wherever the SDK supports one (CRC32 trailers). */
		WHEN_SUPPORTED

	}

	/**
	 * Client-side encryption of off-site copies with age (age-encryption.org).
	 */
	public static class Encryption {

		/**
		 * age recipients (X25519 public keys, age1...) every off-site copy is encrypted to.
		 * Only public keys: the application cannot decrypt what it uploads without an
		 * identity.
		 */
		private List<String> ageRecipients = new ArrayList<>();

		/**
		 * File with the age identity (AGE-SECRET-KEY-1..., as age-keygen writes it) that
		 * decrypts off-site copies for download and restore.
		 */
		private @Nullable Path ageIdentityFile;

		public List<String> getAgeRecipients() {
			return this.ageRecipients;
		}

		public void setAgeRecipients(List<String> ageRecipients) {
			this.ageRecipients = ageRecipients;
		}

		public @Nullable Path getAgeIdentityFile() {
			return this.ageIdentityFile;
		}

		public void setAgeIdentityFile(@Nullable Path ageIdentityFile) {
			this.ageIdentityFile = ageIdentityFile;
		}

	}

	/**
	 * How failed uploads are retried. The backup stays local until it is uploaded.
	 */
	public static class Retry {

		/**
		 * Wait after the first failed attempt; it doubles after each further failure.
		 */
		private Duration initialBackoff = Duration.ofSeconds(5);

		/**
		 * Longest wait between attempts.
		 */
		private Duration maxBackoff = Duration.ofMinutes(5);

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

	}

}

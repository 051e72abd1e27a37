package io.github.sqlitebackup.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import io.github.sqlitebackup.storage.BackupStorage;
import io.github.sqlitebackup.storage.StorageException;
import io.github.sqlitebackup.storage.s3.S3Location;
import io.github.sqlitebackup.storage.s3.S3Storage;

/**
 * The S3 bucket of the off-site copies: the application's own {@link S3Client} when it has
 * one, else a client built from the {@code sqlite.backup.remote.*} properties (closed with
 * the context). Only loaded when the AWS SDK is on the class path.
 */
final class S3Connection implements RemoteStorageFactory, DisposableBean {

	private static final String PREFIX = SqliteBackupRemoteProperties.PREFIX;

	private final S3Client client;

	private final boolean owned;

	private final S3Location location;

	private final int partSize;

	private final String credentialsProperty;

	private S3Connection(S3Client client, boolean owned, S3Location location, int partSize,
			String credentialsProperty) {
		this.client = client;
		this.owned = owned;
		this.location = location;
		this.partSize = partSize;
		this.credentialsProperty = credentialsProperty;
	}

	/**
	 * Connect as configured.
	 * @param properties the remote properties, with a URL
	 * @param applicationClient the application's own client, or {@code null}
	 * @return the connection
	 * @throws InvalidConfigurationPropertyValueException naming the property that is wrong
	 */
	static S3Connection of(SqliteBackupRemoteProperties properties, @Nullable S3Client applicationClient) {
		String url = properties.getUrl();
		S3Location location;
		try {
			location = S3Location.parse(String.valueOf(url));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + ".url", url, ex.getMessage());
		}
		long partSize = properties.getPartSize().toBytes();
		if (partSize < S3Storage.MIN_PART_SIZE || partSize > Integer.MAX_VALUE - 8) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + ".part-size", properties.getPartSize(),
					"must be at least 5MB (S3's smallest part) and less than 2GB");
		}
		if (applicationClient != null) {
			refuseClientSettings(properties);
			return new S3Connection(applicationClient, false, location, (int) partSize, "the application's S3Client");
		}
		String credentials = (properties.getAccessKeyId() != null) ? PREFIX + ".access-key-id/secret-access-key"
				: "the AWS default credentials chain";
		return new S3Connection(build(properties), true, location, (int) partSize, credentials);
	}

	/**
	 * Return the storage of one database: {@code <prefix>/<database id>/}.
	 * @param databaseId the database's id
	 * @return the storage, checked: the bucket can be listed with the credentials
	 * @throws InvalidConfigurationPropertyValueException naming the property that is wrong
	 */
	@Override
	public BackupStorage storageOf(String databaseId) {
		S3Storage storage = new S3Storage(this.client, this.location.resolve(databaseId), this.partSize);
		try {
			storage.check();
		}
		catch (StorageException ex) {
			throw switch (ex.reason()) {
				case ACCESS_DENIED -> new InvalidConfigurationPropertyValueException(PREFIX + ".secret-access-key",
						"(hidden)", "the credentials from " + this.credentialsProperty + " were refused: " + ex.getMessage());
				case NOT_FOUND -> new InvalidConfigurationPropertyValueException(PREFIX + ".url",
						this.location.toString(), ex.getMessage());
				case UNREACHABLE -> new InvalidConfigurationPropertyValueException(PREFIX + ".endpoint",
						"(see sqlite.backup.remote.endpoint and region)", "the storage cannot be reached: "
								+ ex.getMessage());
				default -> new InvalidConfigurationPropertyValueException(PREFIX + ".url", this.location.toString(),
						ex.getMessage());
			};
		}
		return storage;
	}

	private static void refuseClientSettings(SqliteBackupRemoteProperties properties) {
		String ignored = (properties.getEndpoint() != null) ? "endpoint"
				: (properties.getRegion() != null) ? "region"
						: (properties.getAccessKeyId() != null) ? "access-key-id"
								: (properties.getSecretAccessKey() != null) ? "secret-access-key"
										: properties.isPathStyleAccess() ? "path-style-access" : null;
		if (ignored != null) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "." + ignored,
					ignored.contains("key") ? "(hidden)" : "(set)", "the application's own S3Client bean is used for "
							+ "off-site copies, so this setting would be ignored; configure it on that client instead");
		}
	}

	private static S3Client build(SqliteBackupRemoteProperties properties) {
		S3ClientBuilder builder = S3Client.builder()
			.httpClient(Apache5HttpClient.create())
			.region(region(properties))
			.credentialsProvider(credentials(properties))
			.forcePathStyle(properties.isPathStyleAccess());
		if (properties.getEndpoint() != null) {
			String scheme = properties.getEndpoint().getScheme();
			if (!"https".equals(scheme) && !"http".equals(scheme)) {
				throw new InvalidConfigurationPropertyValueException(PREFIX + ".endpoint", properties.getEndpoint(),
						"must be an http:// or https:// URL");
			}
			builder.endpointOverride(properties.getEndpoint());
		}
		if (properties.getRequestChecksumCalculation() == SqliteBackupRemoteProperties.ChecksumCalculation.WHEN_REQUIRED) {
			builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
				.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
		}
		return builder.build();
	}

	private static Region region(SqliteBackupRemoteProperties properties) {
		if (properties.getRegion() != null) {
			return Region.of(properties.getRegion());
		}
		if (properties.getEndpoint() != null) {
			return Region.US_EAST_1;
		}
		try {
			return new DefaultAwsRegionProviderChain().getRegion();
		}
		catch (SdkClientException ex) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + ".region", null,
					"no region is configured and the AWS default region chain has none (AWS_REGION, ~/.aws/config)");
		}
	}

	private static AwsCredentialsProvider credentials(SqliteBackupRemoteProperties properties) {
		String id = properties.getAccessKeyId();
		String secret = properties.getSecretAccessKey();
		if (id == null && secret == null) {
			return DefaultCredentialsProvider.builder().build();
		}
		if (id == null || id.isBlank()) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + ".access-key-id", id,
					"is needed with secret-access-key");
		}
		if (secret == null || secret.isBlank()) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + ".secret-access-key", "(hidden)",
					"is needed with access-key-id");
		}
		return StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret));
	}

	@Override
	public void destroy() {
		if (this.owned) {
			this.client.close();
		}
	}

}

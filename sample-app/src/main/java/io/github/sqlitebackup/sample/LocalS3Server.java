package io.github.sqlitebackup.sample;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * With the {@code local-s3} profile, runs a real S3 API server (S3Proxy, signatures checked)
 * on 127.0.0.1 inside the sample, keeping its bucket under the data directory, so the
 * off-site copies can be tried without a cloud account. It starts before the application's
 * beans (the off-site storage is checked at start-up) and stops after them (uploads at
 * shutdown still reach it). Not for production.
 */
class LocalS3Server implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		Environment environment = context.getEnvironment();
		if (!environment.acceptsProfiles(Profiles.of("local-s3"))) {
			return;
		}
		int port = environment.getRequiredProperty("sample.local-s3.port", Integer.class);
		String accessKey = environment.getRequiredProperty("sqlite.backup.remote.access-key-id");
		String secretKey = environment.getRequiredProperty("sqlite.backup.remote.secret-access-key");
		String bucket = URI.create(environment.getRequiredProperty("sqlite.backup.remote.url")).getHost();
		try {
			Path directory = Files.createDirectories(Path.of(environment.getRequiredProperty("sample.data-dir"), "s3"));
			S3Proxy proxy = S3Proxy.builder()
				.blobStore(new FilesystemNio2BlobStore(directory.toString()))
				.endpoint(URI.create("http://127.0.0.1:" + port))
				.awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
				.ignoreUnknownHeaders(true)
				.build();
			proxy.start();
			createBucket(port, accessKey, secretKey, bucket);
			// registered first, destroyed last: after the backup job's shutdown uploads
			((DefaultListableBeanFactory) context.getBeanFactory()).registerDisposableBean("localS3Server", proxy::stop);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot start the local S3 server on port " + port, ex);
		}
	}

	private static void createBucket(int port, String accessKey, String secretKey, String bucket) {
		try (S3Client client = S3Client.builder()
			.endpointOverride(URI.create("http://127.0.0.1:" + port))
			.region(Region.US_EAST_1)
			.forcePathStyle(true)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
			.build()) {
			if (client.listBuckets().buckets().stream().noneMatch((existing) -> existing.name().equals(bucket))) {
				client.createBucket((request) -> request.bucket(bucket));
			}
		}
	}

}

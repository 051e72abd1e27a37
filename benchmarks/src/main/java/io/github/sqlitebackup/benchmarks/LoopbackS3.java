package io.github.sqlitebackup.benchmarks;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import org.springframework.util.FileSystemUtils;

import io.github.sqlitebackup.storage.s3.S3Location;
import io.github.sqlitebackup.storage.s3.S3Storage;

/**
 * A real S3 API server (S3Proxy over a file-system store) on loopback with a bucket
 * {@value #BUCKET}, and a client of it; the store is deleted on close.
 */
final class LoopbackS3 implements AutoCloseable {

	static final String BUCKET = "bench";

	private final Path store;

	private final S3Proxy proxy;

	private final S3Client client;

	LoopbackS3(Path store) throws Exception {
		this.store = store;
		FileSystemUtils.deleteRecursively(store);
		Files.createDirectories(store);
		this.proxy = S3Proxy.builder()
			.blobStore(new FilesystemNio2BlobStore(store.toString()))
			.endpoint(URI.create("http://127.0.0.1:0"))
			.awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "bench", "bench-secret")
			.ignoreUnknownHeaders(true)
			.build();
		this.proxy.start();
		while (!"STARTED".equals(this.proxy.getState())) {
			Thread.onSpinWait();
		}
		this.client = S3Client.builder()
			.httpClient(Apache5HttpClient.create())
			.endpointOverride(URI.create("http://127.0.0.1:" + this.proxy.getPort()))
			.region(Region.US_EAST_1)
			.forcePathStyle(true)
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench-secret")))
			.build();
		this.client.createBucket((request) -> request.bucket(BUCKET));
	}

	S3Client client() {
		return this.client;
	}

	/**
	 * Return a storage under a prefix of the bucket, writing in 8 MiB parts.
	 * @param prefix the prefix
	 * @return the storage
	 */
	S3Storage storage(String prefix) {
		return new S3Storage(this.client, S3Location.parse("s3://" + BUCKET + "/" + prefix), 8 * 1024 * 1024);
	}

	@Override
	public void close() throws Exception {
		this.client.close();
		this.proxy.stop();
		FileSystemUtils.deleteRecursively(this.store);
	}

}

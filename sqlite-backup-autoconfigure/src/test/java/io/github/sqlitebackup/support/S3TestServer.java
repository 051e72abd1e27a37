package io.github.sqlitebackup.support;

import java.net.URI;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API server for tests: S3Proxy on loopback, checking AWS v4 signatures, keeping
 * its objects in memory so that it can be stopped and started again (an outage) on the
 * same port with the same content.
 */
public final class S3TestServer implements AutoCloseable {

	/** The access key the server accepts. */
	public static final String ACCESS_KEY = "test-access-key";

	/** The secret key the server accepts. */
	public static final String SECRET_KEY = "test-secret-key-do-not-log";

	private final BlobStore blobStore = new TransientNio2BlobStore();

	private int port;

	private S3Proxy proxy;


	/**
	 * Start a server.
	 * @return the running server
	 * @throws Exception if it cannot start
	 */
	public static S3TestServer start() throws Exception {
		S3TestServer server = new S3TestServer();
		server.startProxy(0);
		return server;
	}

	private void startProxy(int port) throws Exception {
		this.proxy = S3Proxy.builder()
			.blobStore(this.blobStore)
			.endpoint(URI.create("http://127.0.0.1:" + port))
			.awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
			.ignoreUnknownHeaders(true)
			.build();
		this.proxy.start();
		while (!"STARTED".equals(this.proxy.getState())) {
			Thread.onSpinWait();
		}
		this.port = this.proxy.getPort();
	}

	/**
	 * Return the server's endpoint.
	 * @return {@code http://127.0.0.1:port}
	 */
	public String endpoint() {
		return "http://127.0.0.1:" + this.port;
	}

	/**
	 * Return the server's port, the same after a restart.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Create a bucket.
	 * @param bucket its name
	 */
	public void createBucket(String bucket) {
		try (S3Client client = client()) {
			client.createBucket((request) -> request.bucket(bucket));
		}
	}

	/**
	 * Build a client with the right credentials.
	 * @return a new client, to be closed by the caller
	 */
	public S3Client client() {
		return client(SECRET_KEY);
	}

	/**
	 * Build a client with a given secret key.
	 * @param secretKey the secret key
	 * @return a new client, to be closed by the caller
	 */
	public S3Client client(String secretKey) {
		return S3Client.builder()
			.endpointOverride(URI.create(endpoint()))
			.region(Region.US_EAST_1)
			.forcePathStyle(true)
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, secretKey)))
			.build();
	}

	/**
	 * Stop the server: requests fail with a refused connection until {@link #restart()}.
	 * @throws Exception if it cannot stop
	 */
	public void stop() throws Exception {
		this.proxy.stop();
	}

	/**
	 * Start the stopped server again, on the same port, with the same content.
	 * @throws Exception if it cannot start
	 */
	public void restart() throws Exception {
		startProxy(this.port);
	}

	@Override
	public void close() throws Exception {
		this.proxy.stop();
	}

}

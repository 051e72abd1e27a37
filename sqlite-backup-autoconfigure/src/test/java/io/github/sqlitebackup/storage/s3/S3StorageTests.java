package io.github.sqlitebackup.storage.s3;

import java.io.ByteArrayInputStream;
import java.nio.file.NoSuchFileException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

import io.github.sqlitebackup.storage.BackupStorage;
import io.github.sqlitebackup.storage.BackupStorageContractTests;
import io.github.sqlitebackup.storage.StorageException;
import io.github.sqlitebackup.storage.StorageException.Reason;
import io.github.sqlitebackup.storage.StoredObject;
import io.github.sqlitebackup.support.S3TestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The S3 storage against a real S3 API server (S3Proxy, signatures checked): the storage
 * contract, multipart uploads, prefixes, and errors that name their reason.
 */
class S3StorageTests extends BackupStorageContractTests {

	private S3TestServer server;

	private S3Client client;

	@Override
	protected BackupStorage createStorage() throws Exception {
		this.server = S3TestServer.start();
		this.server.createBucket("backups");
		this.client = this.server.client();
		return new S3Storage(this.client, S3Location.parse("s3://backups/apps/notes"), S3Storage.MIN_PART_SIZE);
	}

	@AfterEach
	void stopServer() throws Exception {
		this.client.close();
		this.server.close();
	}

	@Test
	void largeObjectsGoUpInPartsAndAreNeverOverwritten() throws Exception {
		BackupStorage storage = storageUnderTest();
		byte[] content = bytes(S3Storage.MIN_PART_SIZE * 2 + 12345, 3);
		storage.write("big.db", new ByteArrayInputStream(content));
		assertThat(read("big.db")).isEqualTo(content);
		assertThat(storage.stat("big.db")).map(StoredObject::size).contains((long) content.length);
		assertThatExceptionOfType(io.github.sqlitebackup.storage.ObjectExistsException.class)
			.isThrownBy(() -> storage.write("big.db", new ByteArrayInputStream(bytes(content.length, 4))));
		assertThat(read("big.db")).isEqualTo(content);
		assertThat(this.client.listMultipartUploads((request) -> request.bucket("backups")).uploads()).isEmpty();
	}

	@Test
	void onlyKeysDirectlyUnderThePrefixAreObjects() throws Exception {
		this.client.putObject((request) -> request.bucket("backups").key("apps/notes/sub/a.db"),
				software.amazon.awssdk.core.sync.RequestBody.fromString("nested"));
		this.client.putObject((request) -> request.bucket("backups").key("apps/other.db"),
				software.amazon.awssdk.core.sync.RequestBody.fromString("beside"));
		this.client.putObject((request) -> request.bucket("backups").key("apps/notes/.hidden"),
				software.amazon.awssdk.core.sync.RequestBody.fromString("hidden"));
		assertThat(storageUnderTest().list()).isEmpty();
		assertThatExceptionOfType(NoSuchFileException.class).isThrownBy(() -> storageUnderTest().open("other.db"));
	}

	@Test
	void wrongCredentialsMissingBucketAndNoServerNameTheirReason() throws Exception {
		try (S3Client wrongSecret = this.server.client("wrong-secret")) {
			S3Storage storage = new S3Storage(wrongSecret, S3Location.parse("s3://backups/x"), S3Storage.MIN_PART_SIZE);
			assertThatExceptionOfType(StorageException.class).isThrownBy(storage::check)
				.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.ACCESS_DENIED))
				.withMessageContaining("s3://backups/x/")
				.withMessageContaining("403")
				.withMessageNotContaining("wrong-secret");
		}
		S3Storage noBucket = new S3Storage(this.client, S3Location.parse("s3://nothing-here/x"), S3Storage.MIN_PART_SIZE);
		assertThatExceptionOfType(StorageException.class).isThrownBy(noBucket::check)
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.NOT_FOUND))
			.withMessageContaining("no bucket nothing-here");
		this.server.stop();
		S3Storage down = new S3Storage(this.client, S3Location.parse("s3://backups/x"), S3Storage.MIN_PART_SIZE);
		assertThatExceptionOfType(StorageException.class).isThrownBy(down::check)
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.UNREACHABLE));
		this.server.restart();
		down.check();
	}

	@Test
	void locationsAreParsedStrictly() {
		assertThat(S3Location.parse("s3://bucket/a/b/")).isEqualTo(new S3Location("bucket", "a/b/"));
		assertThat(S3Location.parse("s3://bucket")).isEqualTo(new S3Location("bucket", ""));
		assertThat(S3Location.parse("s3://bucket/a").resolve("notes").toString()).isEqualTo("s3://bucket/a/notes/");
		for (String bad : new String[] { "http://bucket/a", "s3:///a", "s3://Bucket/a", "s3://b/a", "s3://bucket/a/../b", "s3://bucket/./b",
				"s3://key:secret@bucket/a", "s3://bucket/a?x=1", "bucket/a", "s3://bucket/a b" }) {
			assertThatExceptionOfType(IllegalArgumentException.class).as(bad).isThrownBy(() -> S3Location.parse(bad));
		}
	}

}

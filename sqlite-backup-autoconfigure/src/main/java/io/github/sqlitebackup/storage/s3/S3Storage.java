package io.github.sqlitebackup.storage.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import io.github.sqlitebackup.storage.BackupStorage;
import io.github.sqlitebackup.storage.ObjectExistsException;
import io.github.sqlitebackup.storage.StorageException;
import io.github.sqlitebackup.storage.StorageException.Reason;
import io.github.sqlitebackup.storage.StorageKeys;
import io.github.sqlitebackup.storage.StoredObject;

/**
 * A {@link BackupStorage} in an S3 bucket (AWS S3 or any S3-compatible service), under a
 * key prefix. Objects become visible only once complete, since S3 publishes an object
 * atomically when its upload ends; content of up to one part goes up in one
 * {@code PutObject}, larger content in a multipart upload of parts read one at a time
 * (memory stays at one part whatever the size), which is aborted when it fails. Writes are
 * conditional ({@code If-None-Match: *}), so S3 itself refuses to overwrite a key, also
 * against concurrent writers. Only keys directly under the prefix that are
 * {@link StorageKeys valid keys} are listed.
 */
public final class S3Storage implements BackupStorage {

	/** S3's smallest part size (except the last one). */
	public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

	private static final int PRECONDITION_FAILED = 412;

	private final S3Client client;

	private final S3Location location;

	private final int partSize;

	/**
	 * Create a storage.
	 * @param client the client, which the caller closes
	 * @param location the bucket and prefix
	 * @param partSize the size of multipart upload parts, at least {@link #MIN_PART_SIZE}
	 */
	public S3Storage(S3Client client, S3Location location, int partSize) {
		if (partSize < MIN_PART_SIZE) {
			throw new IllegalArgumentException("part size must be at least " + MIN_PART_SIZE + " bytes, but was "
					+ partSize);
		}
		this.client = client;
		this.location = location;
		this.partSize = partSize;
	}

	@Override
	public String description() {
		return this.location.toString();
	}

	/**
	 * Check that the bucket can be listed with the client's credentials.
	 * @throws StorageException if it cannot: wrong credentials, no such bucket, no route
	 */
	public void check() throws StorageException {
		try {
			this.client.listObjectsV2(
					(request) -> request.bucket(this.location.bucket()).prefix(this.location.prefix()).maxKeys(1));
		}
		catch (SdkException ex) {
			throw translate("list", ex);
		}
	}

	@Override
	public List<StoredObject> list() throws IOException {
		return call("list", () -> {
			List<StoredObject> objects = new ArrayList<>();
			for (S3Object object : this.client
				.listObjectsV2Paginator((request) -> request.bucket(this.location.bucket()).prefix(this.location.prefix()))
				.contents()) {
				String key = object.key().substring(this.location.prefix().length());
				if (StorageKeys.isKey(key)) {
					objects.add(new StoredObject(key, object.size(), object.lastModified()));
				}
			}
			return objects;
		});
	}

	@Override
	public Optional<StoredObject> stat(String key) throws IOException {
		String objectKey = objectKey(key);
		try {
			return call("stat " + key, () -> {
				var head = this.client.headObject((request) -> request.bucket(this.location.bucket()).key(objectKey));
				return Optional.of(new StoredObject(key, head.contentLength(), head.lastModified()));
			});
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
	}

	@Override
	public InputStream open(String key) throws IOException {
		String objectKey = objectKey(key);
		return call("read " + key,
				() -> this.client.getObject((request) -> request.bucket(this.location.bucket()).key(objectKey)));
	}

	@Override
	public void write(String key, InputStream content) throws IOException {
		String objectKey = objectKey(key);
		byte[] part = new byte[this.partSize];
		int length = content.readNBytes(part, 0, part.length);
		if (length < part.length) {
			byte[] whole = part;
			int size = length;
			conditional(key, () -> this.client.putObject((request) -> request.bucket(this.location.bucket())
				.key(objectKey)
				.ifNoneMatch("*")
				.contentLength((long) size), body(whole, size)));
			return;
		}
		writeMultipart(key, objectKey, content, part, length);
	}

	@Override
	public void write(String key, Path file) throws IOException {
		objectKey(key);
		try (InputStream in = Files.newInputStream(file)) {
			write(key, in);
		}
	}

	@Override
	public boolean delete(String key) throws IOException {
		String objectKey = objectKey(key);
		if (stat(key).isEmpty()) {
			return false;
		}
		call("delete " + key,
				() -> this.client.deleteObject((request) -> request.bucket(this.location.bucket()).key(objectKey)));
		return true;
	}

	private void writeMultipart(String key, String objectKey, InputStream content, byte[] part, int firstLength)
			throws IOException {
		String uploadId = call("write " + key, () -> this.client
			.createMultipartUpload((request) -> request.bucket(this.location.bucket()).key(objectKey))
			.uploadId());
		boolean completed = false;
		try {
			List<CompletedPart> parts = new ArrayList<>();
			int length = firstLength;
			long total = 0;
			while (length > 0) {
				int number = parts.size() + 1;
				int size = length;
				String etag = call("write " + key + " part " + number, () -> this.client
					.uploadPart((request) -> request.bucket(this.location.bucket())
						.key(objectKey)
						.uploadId(uploadId)
						.partNumber(number)
						.contentLength((long) size), body(part, size))
					.eTag());
				parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
				total += size;
				length = content.readNBytes(part, 0, part.length);
			}
			long objectSize = total;
			conditional(key, () -> this.client.completeMultipartUpload((request) -> request
				.bucket(this.location.bucket())
				.key(objectKey)
				.uploadId(uploadId)
				.ifNoneMatch("*")
				.mpuObjectSize(objectSize)
				.multipartUpload((upload) -> upload.parts(parts))));
			completed = true;
		}
		finally {
			if (!completed) {
				abort(objectKey, uploadId);
			}
		}
	}

	private void abort(String objectKey, String uploadId) {
		try {
			this.client.abortMultipartUpload(
					(request) -> request.bucket(this.location.bucket()).key(objectKey).uploadId(uploadId));
		}
		catch (SdkException ex) {
			// the upload's parts stay invisible; a bucket lifecycle rule removes them
		}
	}

	private void conditional(String key, S3Call<?> call) throws IOException {
		try {
			call.run();
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == PRECONDITION_FAILED) {
				throw new ObjectExistsException(key, description());
			}
			throw translate("write " + key, ex);
		}
		catch (SdkException ex) {
			throw translate("write " + key, ex);
		}
	}

	private static RequestBody body(byte[] bytes, int length) {
		// a fresh stream over the same bytes for every attempt: retries resend the part
		return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
				"application/octet-stream");
	}

	private String objectKey(String key) {
		return this.location.prefix() + StorageKeys.check(key);
	}

	private <T> T call(String operation, S3Call<T> call) throws IOException {
		try {
			return call.run();
		}
		catch (NoSuchKeyException ex) {
			throw new NoSuchFileException(operation, null, "no such object in " + description());
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 404 && !"NoSuchBucket".equals(errorCode(ex))) {
				throw new NoSuchFileException(operation, null, "no such object in " + description());
			}
			throw translate(operation, ex);
		}
		catch (SdkException ex) {
			throw translate(operation, ex);
		}
	}

	private StorageException translate(String operation, SdkException ex) {
		String what = description() + ": " + operation + " failed: ";
		if (ex instanceof S3Exception s3) {
			int status = s3.statusCode();
			String code = errorCode(s3);
			String detail = what + "HTTP " + status + ((code != null) ? " " + code : "");
			if (status == 403 || status == 401) {
				return new StorageException(Reason.ACCESS_DENIED, detail + " (the credentials were refused or lack a "
						+ "permission)", ex);
			}
			if (status == 404 || "NoSuchBucket".equals(code)) {
				return new StorageException(Reason.NOT_FOUND, detail + " (there is no bucket " + this.location.bucket()
						+ ")", ex);
			}
			if (status >= 500 || status == 409 || status == 429) {
				return new StorageException(Reason.SERVER_ERROR, detail, ex);
			}
			return new StorageException(Reason.REJECTED, detail, ex);
		}
		if (ex instanceof SdkClientException) {
			return new StorageException(Reason.UNREACHABLE, what + rootMessage(ex), ex);
		}
		return new StorageException(Reason.REJECTED, what + rootMessage(ex), ex);
	}

	private static String errorCode(S3Exception ex) {
		return (ex.awsErrorDetails() != null) ? ex.awsErrorDetails().errorCode() : null;
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return (root == ex) ? String.valueOf(ex.getMessage()) : ex.getMessage() + " (" + root + ")";
	}

	@FunctionalInterface
	private interface S3Call<T> {

		T run();

	}

}

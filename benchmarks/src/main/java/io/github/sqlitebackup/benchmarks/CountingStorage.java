package io.github.sqlitebackup.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import io.github.sqlitebackup.storage.BackupStorage;
import io.github.sqlitebackup.storage.StoredObject;

/**
 * A storage that counts the requests made to the one it wraps (each list, stat, read,
 * write and delete is one request to an object store).
 */
final class CountingStorage implements BackupStorage {

	private final BackupStorage storage;

	private final AtomicLong requests = new AtomicLong();

	CountingStorage(BackupStorage storage) {
		this.storage = storage;
	}

	long requests() {
		return this.requests.get();
	}

	void reset() {
		this.requests.set(0);
	}

	@Override
	public String description() {
		return this.storage.description();
	}

	@Override
	public List<StoredObject> list() throws IOException {
		this.requests.incrementAndGet();
		return this.storage.list();
	}

	@Override
	public Optional<StoredObject> stat(String key) throws IOException {
		this.requests.incrementAndGet();
		return this.storage.stat(key);
	}

	@Override
	public InputStream open(String key) throws IOException {
		this.requests.incrementAndGet();
		return this.storage.open(key);
	}

	@Override
	public void write(String key, InputStream content) throws IOException {
		this.requests.incrementAndGet();
		this.storage.write(key, content);
	}

	@Override
	public void write(String key, Path file) throws IOException {
		this.requests.incrementAndGet();
		this.storage.write(key, file);
	}

	@Override
	public boolean delete(String key) throws IOException {
		this.requests.incrementAndGet();
		return this.storage.delete(key);
	}

}

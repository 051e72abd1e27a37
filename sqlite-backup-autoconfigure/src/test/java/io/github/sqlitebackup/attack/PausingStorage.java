package io.github.sqlitebackup.attack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.sqlitebackup.catalog.BackupNames;
import io.github.sqlitebackup.storage.BackupStorage;
import io.github.sqlitebackup.storage.LocalDirectoryStorage;
import io.github.sqlitebackup.storage.StoredObject;

/**
 * A real {@link LocalDirectoryStorage} whose thread, once armed, stops right after it has
 * written a manifest: the moment between "manifest published" and "backup linked" that a
 * slow disk or the scheduler can stretch. Every file operation is the real one.
 */
final class PausingStorage implements BackupStorage {

	private final LocalDirectoryStorage delegate;

	private volatile boolean armed;

	final CountDownLatch paused = new CountDownLatch(1);

	final CountDownLatch resume = new CountDownLatch(1);

	PausingStorage(Path directory) {
		this.delegate = LocalDirectoryStorage.open(directory);
	}

	void arm() {
		this.armed = true;
	}

	@Override
	public String description() {
		return this.delegate.description();
	}

	@Override
	public List<StoredObject> list() throws IOException {
		return this.delegate.list();
	}

	@Override
	public Optional<StoredObject> stat(String key) throws IOException {
		return this.delegate.stat(key);
	}

	@Override
	public InputStream open(String key) throws IOException {
		return this.delegate.open(key);
	}

	@Override
	public void write(String key, InputStream content) throws IOException {
		this.delegate.write(key, content);
		if (this.armed && key.endsWith(BackupNames.MANIFEST_SUFFIX)) {
			this.armed = false;
			this.paused.countDown();
			try {
				if (!this.resume.await(2, TimeUnit.MINUTES)) {
					throw new IOException("test never resumed");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException(ex);
			}
		}
	}

	@Override
	public void write(String key, Path file) throws IOException {
		this.delegate.write(key, file);
	}

	@Override
	public boolean delete(String key) throws IOException {
		return this.delegate.delete(key);
	}

}

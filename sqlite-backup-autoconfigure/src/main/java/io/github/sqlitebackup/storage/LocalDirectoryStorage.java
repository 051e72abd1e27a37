package io.github.sqlitebackup.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.github.sqlitebackup.SqliteBackupException;
import io.github.sqlitebackup.engine.StagingFile;

/**
 * A {@link BackupStorage} in one local directory: each key is a file of that name directly
 * in it. Objects are written under a hidden staging name, fsynced, and published with a
 * hard link, which fails rather than replace an existing file; only regular files are
 * seen, never symbolic links, so no entry can lead outside the directory.
 */
public final class LocalDirectoryStorage implements BackupStorage {

	private final Path directory;

	/**
	 * Create a storage over a directory; see {@link #open(Path)} to create and check it.
	 * @param directory the directory
	 */
	public LocalDirectoryStorage(Path directory) {
		this.directory = directory.toAbsolutePath().normalize();
	}

	/**
	 * Create the directory if it is missing, check that it is a writable directory, and
	 * return a storage over it.
	 * @param directory the directory
	 * @return the storage
	 * @throws SqliteBackupException if the directory cannot be created or written
	 */
	public static LocalDirectoryStorage open(Path directory) {
		LocalDirectoryStorage storage = new LocalDirectoryStorage(directory);
		try {
			Files.createDirectories(storage.directory);
		}
		catch (IOException ex) {
			throw new SqliteBackupException("Cannot create backup directory " + storage.directory + ": " + ex, ex);
		}
		if (!Files.isWritable(storage.directory)) {
			throw new SqliteBackupException("Backup directory " + storage.directory + " is not writable.");
		}
		return storage;
	}

	/**
	 * Return the directory.
	 * @return the absolute directory
	 */
	public Path directory() {
		return this.directory;
	}

	@Override
	public String description() {
		return "directory " + this.directory;
	}

	@Override
	public List<StoredObject> list() throws IOException {
		List<StoredObject> objects = new ArrayList<>();
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.directory)) {
			for (Path file : files) {
				String key = file.getFileName().toString();
				if (StorageKeys.isKey(key)) {
					regularFile(file).ifPresent((attributes) -> objects.add(object(key, attributes)));
				}
			}
		}
		return objects;
	}

	@Override
	public Optional<StoredObject> stat(String key) throws IOException {
		return regularFile(resolve(key)).map((attributes) -> object(key, attributes));
	}

	@Override
	public InputStream open(String key) throws IOException {
		Path file = resolve(key);
		if (regularFile(file).isEmpty()) {
			throw new NoSuchFileException(file.toString(), null, "not a regular file in " + description());
		}
		return Channels.newInputStream(FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
	}

	@Override
	public void write(String key, InputStream content) throws IOException {
		Path target = resolve(key);
		Path staging = Files.createTempFile(this.directory, "." + key + ".", StagingFile.SUFFIX);
		try {
			try (OutputStream out = Files.newOutputStream(staging)) {
				content.transferTo(out);
			}
			publish(staging, target, key);
		}
		finally {
			Files.deleteIfExists(staging);
		}
	}

	@Override
	public void write(String key, Path file) throws IOException {
		Path target = resolve(key);
		if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
			throw new NoSuchFileException(file.toString(), null, "not a regular file");
		}
		if (file.toAbsolutePath().getParent().equals(this.directory)) {
			publish(file, target, key);
			return;
		}
		try (InputStream in = Files.newInputStream(file)) {
			write(key, in);
		}
	}

	@Override
	public boolean delete(String key) throws IOException {
		boolean deleted = Files.deleteIfExists(resolve(key));
		if (deleted) {
			fsyncDirectory();
		}
		return deleted;
	}

	/**
	 * Make a complete file durable and give it the key's name with a hard link, which
	 * never replaces an existing file.
	 */
	private void publish(Path complete, Path target, String key) throws IOException {
		try (FileChannel channel = FileChannel.open(complete, StandardOpenOption.WRITE)) {
			channel.force(true);
		}
		try {
			Files.createLink(target, complete);
		}
		catch (FileAlreadyExistsException ex) {
			throw new ObjectExistsException(key, description());
		}
		fsyncDirectory();
	}

	private void fsyncDirectory() {
		try (FileChannel channel = FileChannel.open(this.directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
		catch (IOException ex) {
			// some platforms cannot fsync a directory; the link or deletion stands
		}
	}

	private Path resolve(String key) {
		return this.directory.resolve(StorageKeys.check(key));
	}

	private static Optional<BasicFileAttributes> regularFile(Path file) throws IOException {
		try {
			BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
					LinkOption.NOFOLLOW_LINKS);
			return attributes.isRegularFile() ? Optional.of(attributes) : Optional.empty();
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
	}

	private static StoredObject object(String key, BasicFileAttributes attributes) {
		return new StoredObject(key, attributes.size(), attributes.lastModifiedTime().toInstant());
	}

}

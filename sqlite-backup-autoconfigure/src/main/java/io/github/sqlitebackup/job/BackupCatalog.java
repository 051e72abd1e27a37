package io.github.sqlitebackup.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.sqlitebackup.SqliteBackupException;
import io.github.sqlitebackup.engine.StagingFile;

/**
 * The job's backups in its directory. A backup is a file with a backup name
 * ({@link BackupNames}) and a manifest beside it; the backup file's presence is what
 * counts: the manifest is written before the backup is published and deleted after it.
 * Other files in the directory are never listed, read, changed or deleted, except the
 * job's own leftovers of a crash, which {@link #open()} removes: staging files and
 * manifests whose backup is missing.
 * <p>
 * Names given from outside are looked up among the listed backups only, so no name can
 * reach a file outside the directory or a file the job did not make.
 */
public final class BackupCatalog {

	private static final Log logger = LogFactory.getLog(BackupCatalog.class);

	private static final Comparator<BackupManifest> NEWEST_FIRST = Comparator.comparing(BackupManifest::created)
		.thenComparing(BackupManifest::name)
		.reversed();

	private final Path directory;

	private List<BackupManifest> entries = List.of();

	/**
	 * Create a catalog of a directory; call {@link #open()} before use.
	 * @param directory the backup directory
	 */
	public BackupCatalog(Path directory) {
		this.directory = directory.toAbsolutePath().normalize();
	}

	/**
	 * Create the directory if needed, check that it is usable, remove the leftovers of
	 * crashed runs and read the catalog.
	 * @throws SqliteBackupException if the directory cannot be created or written
	 */
	public synchronized void open() {
		try {
			Files.createDirectories(this.directory);
		}
		catch (IOException ex) {
			throw new SqliteBackupException("Cannot create backup directory " + this.directory + ": " + ex, ex);
		}
		if (!Files.isWritable(this.directory)) {
			throw new SqliteBackupException("Backup directory " + this.directory + " is not writable.");
		}
		removeLeftovers();
		this.entries = readEntries();
		logger.info("Backup catalog " + this.directory + ": " + this.entries.size() + " backups");
	}

	/**
	 * Return the backup directory.
	 * @return the absolute directory
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * Return the backups, newest first.
	 * @return the backups
	 */
	public synchronized List<BackupManifest> entries() {
		return this.entries;
	}

	/**
	 * Find a backup by name.
	 * @param name a backup's file name, from anywhere
	 * @return the backup, or empty if no listed backup has that name
	 */
	public synchronized Optional<BackupManifest> find(String name) {
		return this.entries.stream().filter((entry) -> entry.name().equals(name)).findFirst();
	}

	/**
	 * Return the file of a listed backup.
	 * @param backup the backup
	 * @return its path in the directory
	 */
	public Path fileOf(BackupManifest backup) {
		return this.directory.resolve(backup.name());
	}

	/**
	 * Return where a new backup of the given name goes.
	 * @param name a name made by {@link BackupNames}
	 * @return its path in the directory
	 */
	Path fileFor(String name) {
		if (!BackupNames.isBackupName(name)) {
			throw new IllegalArgumentException("Not a backup name: " + name);
		}
		return this.directory.resolve(name);
	}

	/**
	 * Write a backup's manifest durably, before the backup itself is published.
	 * @param manifest the manifest
	 */
	void writeManifest(BackupManifest manifest) throws IOException {
		String name = BackupNames.manifestName(manifest.name());
		try (StagingFile staging = StagingFile.create(this.directory, name)) {
			Files.writeString(staging.path(), manifest.toJson(), StandardCharsets.UTF_8);
			staging.publish(this.directory.resolve(name));
		}
	}

	/**
	 * Add a backup that has just been published.
	 * @param manifest its manifest
	 */
	synchronized void added(BackupManifest manifest) {
		List<BackupManifest> updated = new ArrayList<>(this.entries);
		updated.add(manifest);
		updated.sort(NEWEST_FIRST);
		this.entries = List.copyOf(updated);
	}

	/**
	 * Delete a listed backup and its manifest.
	 * @param name the backup's name
	 * @return {@code true} if it was listed and is now deleted
	 * @throws SqliteBackupException if the files cannot be deleted
	 */
	public synchronized boolean delete(String name) {
		Optional<BackupManifest> backup = find(name);
		if (backup.isEmpty()) {
			return false;
		}
		try {
			Files.deleteIfExists(fileOf(backup.get()));
			Files.deleteIfExists(this.directory.resolve(BackupNames.manifestName(name)));
		}
		catch (IOException ex) {
			throw new SqliteBackupException("Cannot delete backup " + name + ": " + ex, ex);
		}
		List<BackupManifest> updated = new ArrayList<>(this.entries);
		updated.remove(backup.get());
		this.entries = List.copyOf(updated);
		return true;
	}

	private void removeLeftovers() {
		for (Path file : list()) {
			String name = file.getFileName().toString();
			if (StagingFile.isStagingFileName(name) || isDanglingManifest(name)) {
				try {
					Files.deleteIfExists(file);
					logger.warn("Removed " + file + ", left behind by an interrupted backup");
				}
				catch (IOException ex) {
					logger.warn("Could not remove leftover " + file + ": " + ex);
				}
			}
		}
	}

	private boolean isDanglingManifest(String name) {
		if (!name.endsWith(BackupNames.MANIFEST_SUFFIX)) {
			return false;
		}
		String backupName = name.substring(0, name.length() - BackupNames.MANIFEST_SUFFIX.length());
		return BackupNames.isBackupName(backupName) && !Files.exists(this.directory.resolve(backupName));
	}

	private List<BackupManifest> readEntries() {
		List<BackupManifest> found = new ArrayList<>();
		for (Path file : list()) {
			String name = file.getFileName().toString();
			if (BackupNames.isBackupName(name) && Files.isRegularFile(file)) {
				Path manifestFile = this.directory.resolve(BackupNames.manifestName(name));
				if (Files.isRegularFile(manifestFile)) {
					readManifest(manifestFile, name).ifPresent(found::add);
				}
			}
		}
		found.sort(NEWEST_FIRST);
		return List.copyOf(found);
	}

	private Optional<BackupManifest> readManifest(Path manifestFile, String name) {
		try {
			BackupManifest manifest = BackupManifest.fromJson(Files.readString(manifestFile, StandardCharsets.UTF_8));
			if (manifest.name().equals(name)) {
				return Optional.of(manifest);
			}
			logger.warn("Ignoring " + manifestFile + ": it describes " + manifest.name());
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Ignoring unreadable manifest " + manifestFile + ": " + ex);
		}
		return Optional.empty();
	}

	private List<Path> list() {
		List<Path> files = new ArrayList<>();
		try (DirectoryStream<Path> stream = Files.newDirectoryStream(this.directory)) {
			stream.forEach(files::add);
		}
		catch (IOException ex) {
			throw new SqliteBackupException("Cannot list backup directory " + this.directory + ": " + ex, ex);
		}
		return files;
	}

}

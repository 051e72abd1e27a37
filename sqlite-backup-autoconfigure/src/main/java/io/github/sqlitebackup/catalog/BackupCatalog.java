package io.github.sqlitebackup.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.sqlitebackup.SqliteBackupException;
import io.github.sqlitebackup.storage.BackupStorage;
import io.github.sqlitebackup.storage.StoredObject;

/**
 * The backups of one database in a {@link BackupStorage}: a view over the storage, never a
 * second truth. Every call reads the storage's listing, so backups removed behind the
 * application's back are gone from the catalog at once. A backup is listed when both its
 * object and its manifest are visible, the manifest belongs to this catalog's
 * {@link DatabaseIdentity} (other databases' backups in the same place are never listed,
 * pruned or deleted), and the object has the size the manifest states.
 * <p>
 * In a local directory ({@link CommitOrder#MANIFEST_FIRST}) a backup is published manifest
 * first, then its object, and deleted object first, then its manifest: a crash in between
 * leaves a manifest without a backup, which is never listed, and which {@link #open()}
 * removes. In remote storage ({@link CommitOrder#MANIFEST_LAST}) the manifest is the
 * commit marker: written after the object, deleted before it; a crash leaves an object
 * without a manifest, which is never listed. Manifests are read with a size limit: an
 * oversized or malformed one is logged once and ignored.
 * <p>
 * Deletions (by request or by retention) are serialised, so the check that protects the
 * only verified backup and the deletion happen as one step.
 */
public final class BackupCatalog {

	/** Manifests are a few hundred bytes; anything beyond this is not one. */
	static final int MANIFEST_LIMIT = 64 * 1024;

	private static final Log logger = LogFactory.getLog(BackupCatalog.class);

	private static final Comparator<BackupManifest> NEWEST_FIRST = Comparator
		.comparingLong(BackupManifest::sequence)
		.thenComparing(BackupManifest::created)
		.thenComparing(BackupManifest::name)
		.reversed();

	private final BackupStorage storage;

	private final DatabaseIdentity identity;

	private final CommitOrder commitOrder;

	private final Map<String, ReadManifest> manifests = new ConcurrentHashMap<>();

	private final Object deletions = new Object();

	/**
	 * Create the catalog of one database in a storage.
	 * @param storage where the backups are
	 * @param identity the database
	 */
	public BackupCatalog(BackupStorage storage, DatabaseIdentity identity) {
		this(storage, identity, CommitOrder.MANIFEST_FIRST);
	}

	/**
	 * Create the catalog of one database in a storage, with a given commit order.
	 * @param storage where the backups are
	 * @param identity the database
	 * @param commitOrder whether a backup's manifest is written before or after its object
	 */
	public BackupCatalog(BackupStorage storage, DatabaseIdentity identity, CommitOrder commitOrder) {
		this.storage = storage;
		this.identity = identity;
		this.commitOrder = commitOrder;
	}

	/**
	 * Remove this database's leftovers of crashed runs (manifests without a backup) and log
	 * what there is: this database's backups, and backups under the same id that another
	 * database made, which are ignored.
	 * @return the database's backups, newest first
	 * @throws SqliteBackupException if the storage cannot be listed
	 */
	public List<BackupManifest> open() {
		Listing listing = listing();
		if (this.commitOrder == CommitOrder.MANIFEST_FIRST) {
			removeDanglingManifests(listing);
		}
		int foreign = 0;
		for (BackupManifest manifest : listing.manifests.values()) {
			if (manifest.databaseId().equals(this.identity.id()) && !manifest.belongsTo(this.identity)) {
				foreign++;
			}
		}
		if (foreign > 0) {
			logger.warn(this.storage.description() + " holds " + foreign + " backups under database id '"
					+ this.identity.id() + "' that were made from another database file; they are ignored. Give "
					+ "each application its own backup directory or name prefix.");
		}
		List<BackupManifest> entries = listing.entries(this.identity);
		logger.info("Backup catalog of database " + this.identity.describe() + " in " + this.storage.description()
				+ ": " + entries.size() + " backups");
		return entries;
	}

	private void removeDanglingManifests(Listing listing) {
		for (String key : listing.objects.keySet()) {
			String name = backupNameOf(key);
			if (name != null && this.identity.id().equals(BackupNames.prefixOf(name))
					&& !listing.objects.containsKey(name) && !listing.manifests.containsKey(key)) {
				deleteQuietly(key, "an unreadable manifest of this database without its backup");
			}
		}
		for (Map.Entry<String, BackupManifest> entry : listing.manifests.entrySet()) {
			BackupManifest manifest = entry.getValue();
			if (manifest.belongsTo(this.identity) && !listing.objects.containsKey(manifest.name())) {
				deleteQuietly(entry.getKey(), "left behind by an interrupted backup or deletion");
			}
		}
	}

	/**
	 * Return the database whose backups this catalog lists.
	 * @return the identity
	 */
	public DatabaseIdentity identity() {
		return this.identity;
	}

	/**
	 * Return the storage this catalog is a view of.
	 * @return the storage
	 */
	public BackupStorage storage() {
		return this.storage;
	}

	/**
	 * Return the database's backups, newest (highest sequence) first.
	 * @return the backups
	 * @throws SqliteBackupException if the storage cannot be listed
	 */
	public List<BackupManifest> entries() {
		return listing().entries(this.identity);
	}

	/**
	 * Return the complete backups of every database in the storage, newest (highest
	 * sequence) first: for recovery on a new machine, where a database's file may have
	 * another path than the one its backups were made from.
	 * @return the backups
	 * @throws SqliteBackupException if the storage cannot be listed
	 */
	public List<BackupManifest> everyBackup() {
		Listing listing = listing();
		return listing.manifests.values().stream().filter(listing::isComplete).sorted(NEWEST_FIRST).toList();
	}

	/**
	 * Return the backup files in the storage that no usable manifest describes, and why:
	 * a manifest that cannot be read (damaged, or naming another backup), one that does
	 * not match the file's size, or none at all where manifests are written before their
	 * backups (a local directory). They are never listed as backups; recovery and the
	 * command-line tool report them rather than act as if they were not there.
	 * @param databaseId only backups whose names start with this database id, or
	 * {@code null} for all
	 * @return the reason for each, by backup name
	 * @throws SqliteBackupException if the storage cannot be listed
	 */
	public Map<String, String> unusable(@Nullable String databaseId) {
		Listing listing = listing();
		Map<String, String> unusable = new TreeMap<>();
		for (StoredObject object : listing.objects.values()) {
			String name = object.key();
			if (!BackupNames.isBackupName(name)
					|| (databaseId != null && !databaseId.equals(BackupNames.prefixOf(name)))) {
				continue;
			}
			String manifestKey = BackupNames.manifestName(name);
			BackupManifest manifest = listing.manifests.get(manifestKey);
			if (manifest != null) {
				if (!listing.isComplete(manifest)) {
					unusable.put(name, "its manifest says it is stored in " + manifest.stored().bytes()
							+ " bytes, the file has " + object.size());
				}
			}
			else if (listing.objects.containsKey(manifestKey)) {
				ReadManifest read = this.manifests.get(manifestKey);
				unusable.put(name, "its manifest cannot be read"
						+ ((read != null && read.error() != null) ? " (" + read.error() + ")" : ""));
			}
			else if (this.commitOrder == CommitOrder.MANIFEST_FIRST) {
				unusable.put(name, "it has no manifest " + manifestKey);
			}
		}
		return unusable;
	}

	/**
	 * Find one of the database's backups by name.
	 * @param name a backup name, from anywhere
	 * @return the backup, or empty if the catalog lists none of that name
	 */
	public Optional<BackupManifest> find(String name) {
		return entries().stream().filter((entry) -> entry.name().equals(name)).findFirst();
	}

	/**
	 * Find a complete backup of any database in the storage by name, for a restore that is
	 * to refuse another database's backup with a reason (rather than not finding it).
	 * @param name a backup name, from anywhere
	 * @return the backup, or empty if the storage has no complete backup of that name
	 */
	public Optional<BackupManifest> findInStorage(String name) {
		Listing listing = listing();
		BackupManifest manifest = listing.manifests.get(BackupNames.manifestName(name));
		return Optional.ofNullable(manifest).filter(listing::isComplete);
	}

	/**
	 * Return the sequence number for the next backup: higher than every backup of the
	 * database, listed or not yet complete.
	 * @return the next sequence number
	 */
	public long nextSequence() {
		return listing().manifests.values()
			.stream()
			.filter((manifest) -> manifest.belongsTo(this.identity))
			.mapToLong(BackupManifest::sequence)
			.max()
			.orElse(0) + 1;
	}

	/**
	 * Publish a backup: its manifest and the file under its name, in the catalog's commit
	 * order. Neither replaces an existing object.
	 * @param manifest the manifest, which must belong to this catalog's database
	 * @param file the backup file as stored, which the storage may link rather than copy
	 * @throws io.github.sqlitebackup.storage.ObjectExistsException if the name is taken; nothing
	 * was published then
	 * @throws IOException if the storage fails; nothing is listed then
	 */
	public void publish(BackupManifest manifest, Path file) throws IOException {
		if (!manifest.belongsTo(this.identity)) {
			throw new IllegalArgumentException("Backup " + manifest.name() + " does not belong to database "
					+ this.identity.describe());
		}
		String manifestKey = BackupNames.manifestName(manifest.name());
		byte[] json = manifest.toJson().getBytes(StandardCharsets.UTF_8);
		if (this.commitOrder == CommitOrder.MANIFEST_LAST) {
			this.storage.write(manifest.name(), file);
			try {
				this.storage.write(manifestKey, new ByteArrayInputStream(json));
			}
			catch (IOException | RuntimeException ex) {
				deleteQuietly(manifest.name(), "of a backup whose manifest could not be written");
				throw ex;
			}
			return;
		}
		this.storage.write(manifestKey, new ByteArrayInputStream(json));
		try {
			this.storage.write(manifest.name(), file);
		}
		catch (IOException | RuntimeException ex) {
			deleteQuietly(manifestKey, "of a backup that could not be published");
			throw ex;
		}
	}

	/**
	 * Open a backup's stored object for reading, if it is still the object its manifest
	 * describes (by size; readers check the SHA-256 of what they read).
	 * @param backup a listed backup
	 * @return its content
	 * @throws NoSuchFileException if it is gone or no longer the size its manifest states
	 * @throws IOException if it cannot be read
	 */
	public InputStream open(BackupManifest backup) throws IOException {
		Optional<StoredObject> object = this.storage.stat(backup.name());
		if (object.isEmpty()) {
			throw new NoSuchFileException(backup.name(), null, "the backup is no longer in " + this.storage.description());
		}
		if (object.get().size() != backup.stored().bytes()) {
			throw new NoSuchFileException(backup.name(), null, "the stored backup has " + object.get().size()
					+ " bytes, but its manifest states " + backup.stored().bytes() + ": it was changed after it was made");
		}
		return this.storage.open(backup.name());
	}

	/**
	 * Delete one of the database's backups, unless it is the only verified one.
	 * @param name the backup's name
	 * @return what happened
	 * @throws SqliteBackupException if the storage fails
	 */
	public DeleteOutcome delete(String name) {
		synchronized (this.deletions) {
			List<BackupManifest> entries = entries();
			Optional<BackupManifest> backup = entries.stream().filter((entry) -> entry.name().equals(name)).findFirst();
			if (backup.isEmpty()) {
				return DeleteOutcome.NOT_FOUND;
			}
			if (backup.get().verified()
					&& entries.stream().filter(BackupManifest::verified).count() == 1) {
				return DeleteOutcome.REFUSED_ONLY_VERIFIED;
			}
			deleteBackup(backup.get());
			return DeleteOutcome.DELETED;
		}
	}

	/**
	 * Apply a retention policy.
	 * @param policy the policy
	 * @param now the current time
	 * @param applyMaxAge whether the max-age rule applies
	 * @param protectedNames names that must not be deleted
	 * @return the deleted backups
	 */
	public List<BackupManifest> prune(RetentionPolicy policy, Instant now, boolean applyMaxAge,
			Set<String> protectedNames) {
		return prune(policy, now, applyMaxAge, protectedNames, (name) -> false, (backup) -> true);
	}

	/**
	 * Apply a retention policy to backups of which some are also kept elsewhere.
	 * @param policy the policy
	 * @param now the current time
	 * @param applyMaxAge whether the max-age rule applies
	 * @param protectedNames names that must not be deleted
	 * @param keptElsewhere whether a backup of that name is kept elsewhere too, as far as
	 * the caller knows
	 * @param confirm asked just before each deletion whether it may go ahead (e.g. after
	 * checking that the copy elsewhere still exists); a backup it refuses is kept
	 * @return the deleted backups
	 */
	public List<BackupManifest> prune(RetentionPolicy policy, Instant now, boolean applyMaxAge,
			Set<String> protectedNames, Predicate<String> keptElsewhere, Predicate<BackupManifest> confirm) {
		synchronized (this.deletions) {
			List<BackupManifest> deleted = new ArrayList<>();
			for (BackupManifest backup : policy.toDelete(entries(), now, applyMaxAge, protectedNames, keptElsewhere)) {
				if (!confirm.test(backup)) {
					continue;
				}
				try {
					logger.debug("Backup stage retention: deleting backup " + backup.name());
					deleteBackup(backup);
					deleted.add(backup);
				}
				catch (SqliteBackupException ex) {
					logger.warn("Retention could not delete backup " + backup.name() + ": " + ex.getMessage());
				}
			}
			return deleted;
		}
	}

	private void deleteBackup(BackupManifest backup) {
		try {
			if (this.commitOrder == CommitOrder.MANIFEST_LAST) {
				this.storage.delete(BackupNames.manifestName(backup.name()));
				this.storage.delete(backup.name());
			}
			else {
				this.storage.delete(backup.name());
				this.storage.delete(BackupNames.manifestName(backup.name()));
			}
		}
		catch (IOException ex) {
			throw new SqliteBackupException("Cannot delete backup " + backup.name() + " from "
					+ this.storage.description() + ": " + ex, ex);
		}
	}

	private void deleteQuietly(String key, String why) {
		try {
			if (this.storage.delete(key)) {
				logger.warn("Removed " + key + " from " + this.storage.description() + ", " + why);
			}
		}
		catch (IOException ex) {
			logger.warn("Could not remove " + key + " (" + why + ") from " + this.storage.description() + ": " + ex);
		}
	}

	private Listing listing() {
		List<StoredObject> objects;
		try {
			objects = this.storage.list();
		}
		catch (IOException ex) {
			throw new SqliteBackupException("Cannot list " + this.storage.description() + ": " + ex, ex);
		}
		Map<String, StoredObject> byKey = new HashMap<>();
		objects.forEach((object) -> byKey.put(object.key(), object));
		Map<String, BackupManifest> manifests = new HashMap<>();
		for (StoredObject object : objects) {
			String backupName = backupNameOf(object.key());
			if (backupName != null) {
				BackupManifest manifest = read(object, backupName);
				if (manifest != null) {
					manifests.put(object.key(), manifest);
				}
			}
		}
		this.manifests.keySet().retainAll(byKey.keySet());
		return new Listing(byKey, manifests);
	}

	private static @Nullable String backupNameOf(String key) {
		if (!key.endsWith(BackupNames.MANIFEST_SUFFIX)) {
			return null;
		}
		String name = key.substring(0, key.length() - BackupNames.MANIFEST_SUFFIX.length());
		return BackupNames.isBackupName(name) ? name : null;
	}

	private @Nullable BackupManifest read(StoredObject object, String backupName) {
		ReadManifest cached = this.manifests.get(object.key());
		if (cached != null && cached.object.equals(object)) {
			return cached.manifest;
		}
		BackupManifest manifest = null;
		String error = null;
		try {
			manifest = parse(object, backupName);
		}
		catch (IOException | RuntimeException ex) {
			error = ex.getMessage();
			logger.warn("Ignoring manifest " + object.key() + " in " + this.storage.description() + ": " + error);
		}
		this.manifests.put(object.key(), new ReadManifest(object, manifest, error));
		return manifest;
	}

	private BackupManifest parse(StoredObject object, String backupName) throws IOException {
		if (object.size() > MANIFEST_LIMIT) {
			throw new IllegalArgumentException("it has " + object.size() + " bytes, more than a manifest's "
					+ MANIFEST_LIMIT);
		}
		byte[] bytes;
		try (InputStream in = this.storage.open(object.key())) {
			bytes = in.readNBytes(MANIFEST_LIMIT + 1);
		}
		if (bytes.length > MANIFEST_LIMIT) {
			throw new IllegalArgumentException("it has more than a manifest's " + MANIFEST_LIMIT + " bytes");
		}
		BackupManifest manifest = BackupManifest.fromJson(new String(bytes, StandardCharsets.UTF_8));
		if (!manifest.name().equals(backupName)) {
			throw new IllegalArgumentException("it describes " + manifest.name());
		}
		return manifest;
	}

	/**
	 * When a backup's manifest is written relative to its object.
	 */
	public enum CommitOrder {

		/** Manifest first (and deleted last): for local directories. */
		MANIFEST_FIRST,

		/** Manifest last, as the commit marker (and deleted first): for remote storage. */
		MANIFEST_LAST

	}

	/**
	 * What {@link BackupCatalog#delete(String)} did.
	 */
	public enum DeleteOutcome {

		/** The backup and its manifest are deleted. */
		DELETED,

		/** The catalog lists no backup of that name; nothing was deleted. */
		NOT_FOUND,

		/** It is the only verified backup; nothing was deleted. */
		REFUSED_ONLY_VERIFIED

	}

	private record ReadManifest(StoredObject object, @Nullable BackupManifest manifest, @Nullable String error) {
	}

	private record Listing(Map<String, StoredObject> objects, Map<String, BackupManifest> manifests) {

		boolean isComplete(BackupManifest manifest) {
			StoredObject object = this.objects.get(manifest.name());
			return object != null && object.size() == manifest.stored().bytes();
		}

		List<BackupManifest> entries(DatabaseIdentity identity) {
			return this.manifests.values()
				.stream()
				.filter((manifest) -> manifest.belongsTo(identity) && isComplete(manifest))
				.sorted(NEWEST_FIRST)
				.toList();
		}

	}

}

package io.github.sqlitebackup.replication;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.github.sqlitebackup.engine.StagingFile;
import io.github.sqlitebackup.offsite.StoredForm;
import io.github.sqlitebackup.storage.BackupStorage;
import io.github.sqlitebackup.storage.ObjectExistsException;
import io.github.sqlitebackup.storage.StoredObject;

/**
 * Copies replication objects from the local replica directory, which is the queue, to the
 * remote storage in the order a restore needs them, and keeps both in shape: on the remote
 * side it deletes what compaction replaced and retention no longer needs (decided from keys
 * alone: the remote is listed, then known, and listed again every few minutes while there
 * is something to upload); on the local side it deletes what was
 * uploaded and is older than the newest snapshot. While the remote cannot be reached,
 * segments wait locally; if they outgrow the local bound they are dropped and the caller
 * starts a new generation, whose snapshot carries everything once the remote is back.
 */
final class ReplicaUploader {

	private final BackupStorage local;

	private final BackupStorage remote;

	private final long localLimit;

	private final StoredForm form;

	private final Path staging;

	/**
	 * Replication objects known to be in the remote storage, by their plain key, with the
	 * key they are stored under; {@code null} until listed.
	 */
	private @Nullable Map<ReplicaKey, ReplicaKey> uploaded;

	/** When the remote storage was last listed. */
	private Instant listed = Instant.EPOCH;

	/** How old a listing of the remote storage may be when something is to be uploaded. */
	static final Duration RELIST = Duration.ofMinutes(5);

	/**
	 * Create an uploader.
	 * @param local the local replica directory
	 * @param remote the remote storage
	 * @param localLimit how many bytes of segments may wait locally for the remote
	 * @param form how objects are stored remotely (compression, encryption)
	 * @param staging where encoded objects are written before they are uploaded
	 */
	ReplicaUploader(BackupStorage local, BackupStorage remote, long localLimit, StoredForm form, Path staging) {
		this.local = local;
		this.remote = remote;
		this.localLimit = localLimit;
		this.form = form;
		this.staging = staging;
	}

	/**
	 * Return the remote storage.
	 * @return the storage
	 */
	BackupStorage remote() {
		return this.remote;
	}

	/**
	 * Upload what is missing remotely, then tidy both sides. Segments are read through
	 * before they are uploaded; the remote storage is listed again when there is something
	 * to upload and it was last listed more than {@link #RELIST} ago, so that objects deleted
	 * there behind the replication's back are uploaded again.
	 * @param now the current time
	 * @param retention how far back a restore must still reach
	 * @return what was done
	 * @throws IOException if the remote storage fails (the rest is tried next time)
	 */
	Result upload(Instant now, Duration retention) throws IOException {
		Map<ReplicaKey, Long> sizes = new HashMap<>();
		List<ReplicaKey> localKeys = new ArrayList<>();
		for (StoredObject object : this.local.list()) {
			ReplicaKey.parse(object.key()).ifPresent((key) -> {
				localKeys.add(key);
				sizes.put(key, object.size());
			});
		}
		localKeys.sort(ReplicaKey.ORDER);
		Map<ReplicaKey, ReplicaKey> uploaded;
		int objects = 0;
		long bytes = 0;
		try {
			uploaded = uploaded(now, localKeys);
			for (ReplicaKey key : localKeys) {
				if (!uploaded.containsKey(key)) {
					if (!key.snapshot()) {
						SegmentCheck.verify(this.local, key);
					}
					uploaded.put(key, copy(key));
					objects++;
					bytes += sizes.get(key);
				}
			}
		}
		catch (IOException ex) {
			boolean dropped = dropIfOverLimit(localKeys, sizes);
			return new Result(objects, bytes, dropped, dropped ? 0 : waiting(localKeys, sizes, true), ex);
		}
		tidyRemote(uploaded, localKeys, now.minus(retention));
		tidyLocal(localKeys, uploaded.keySet());
		return new Result(objects, bytes, false, 0, null);
	}

	private Map<ReplicaKey, ReplicaKey> uploaded(Instant now, List<ReplicaKey> localKeys) throws IOException {
		Map<ReplicaKey, ReplicaKey> known = this.uploaded;
		boolean stale = known == null || (now.isAfter(this.listed.plus(RELIST)) || now.isBefore(this.listed))
				&& localKeys.stream().anyMatch((key) -> !known.containsKey(key));
		if (stale) {
			Map<ReplicaKey, ReplicaKey> keys = new HashMap<>();
			for (StoredObject object : this.remote.list()) {
				ReplicaKey.parse(object.key()).ifPresent((key) -> keys.put(key.withCodec("none"), key));
			}
			this.uploaded = keys;
			this.listed = now;
			return keys;
		}
		return known;
	}

	private ReplicaKey copy(ReplicaKey key) throws IOException {
		ReplicaKey stored = key.withCodec(this.form.codec().id());
		try {
			if (stored.plain()) {
				try (InputStream in = this.local.open(key.key())) {
					this.remote.write(stored.key(), in);
				}
			}
			else {
				try (StagingFile encoded = StagingFile.create(this.staging, "upload");
						InputStream in = this.local.open(key.key())) {
					Files.delete(encoded.path());
					this.form.encode(in, encoded.path());
					this.remote.write(stored.key(), encoded.path());
				}
			}
		}
		catch (ObjectExistsException ex) {
			// stored by an attempt whose answer was lost: keys are never reused, so it is this object
		}
		return stored;
	}

	/**
	 * Delete remotely what retention no longer needs, and segments that a longer one covers
	 * once local compaction (which reads the covering one through first) has deleted them.
	 */
	private void tidyRemote(Map<ReplicaKey, ReplicaKey> uploaded, List<ReplicaKey> localKeys, Instant windowStart)
			throws IOException {
		Set<ReplicaKey> obsolete = new LinkedHashSet<>(ReplicaCompaction.covered(uploaded.keySet()));
		obsolete.removeAll(localKeys);
		obsolete.addAll(ReplicaRetention.notNeeded(uploaded.keySet(), windowStart));
		for (ReplicaKey key : obsolete) {
			this.remote.delete(uploaded.get(key).key());
			uploaded.remove(key);
		}
	}

	/** Keep locally what a restore of the latest position needs: the newest snapshot and what follows it. */
	private void tidyLocal(List<ReplicaKey> localKeys, Set<ReplicaKey> uploaded) throws IOException {
		ReplicaKey newestSnapshot = null;
		for (ReplicaKey key : localKeys) {
			if (key.snapshot() && (newestSnapshot == null || ReplicaKey.ORDER.compare(key, newestSnapshot) > 0)) {
				newestSnapshot = key;
			}
		}
		if (newestSnapshot == null) {
			return;
		}
		for (ReplicaKey key : localKeys) {
			if (uploaded.contains(key) && ReplicaKey.ORDER.compare(key, newestSnapshot) < 0) {
				this.local.delete(key.key());
			}
		}
	}

	/** Bytes of the local objects (or only segments) not yet in the remote storage. */
	private long waiting(List<ReplicaKey> localKeys, Map<ReplicaKey, Long> sizes, boolean snapshotsToo) {
		Set<ReplicaKey> uploaded = (this.uploaded != null) ? this.uploaded.keySet() : Set.of();
		return localKeys.stream()
			.filter((key) -> (snapshotsToo || !key.snapshot()) && !uploaded.contains(key))
			.mapToLong(sizes::get)
			.sum();
	}

	/**
	 * Drop everything waiting if its segments outgrew the bound (the snapshot that starts
	 * the next generation is not held against it).
	 */
	private boolean dropIfOverLimit(List<ReplicaKey> localKeys, Map<ReplicaKey, Long> sizes) throws IOException {
		if (waiting(localKeys, sizes, false) <= this.localLimit) {
			return false;
		}
		Set<ReplicaKey> uploaded = (this.uploaded != null) ? this.uploaded.keySet() : Set.of();
		for (ReplicaKey key : localKeys) {
			if (!uploaded.contains(key)) {
				this.local.delete(key.key());
			}
		}
		return true;
	}

	/**
	 * What an upload did.
	 *
	 * @param objects objects uploaded
	 * @param bytes bytes uploaded
	 * @param dropped whether waiting objects were dropped (a new generation must start)
	 * @param queued bytes still waiting in the local replica directory
	 * @param failure why the remote storage failed, or {@code null}
	 */
	record Result(int objects, long bytes, boolean dropped, long queued, @Nullable IOException failure) {
	}

}

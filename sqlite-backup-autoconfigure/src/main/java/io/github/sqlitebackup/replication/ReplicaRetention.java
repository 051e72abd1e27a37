package io.github.sqlitebackup.replication;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.github.sqlitebackup.storage.BackupStorage;
import io.github.sqlitebackup.storage.StoredObject;

/**
 * Deletes the replication objects that no restore to an instant inside the retention
 * window needs: everything before the newest snapshot made at or before the window's start
 * (older generations, older snapshots, segments that end before it). Without such a
 * snapshot nothing is deleted, so the window is never cut short.
 */
final class ReplicaRetention {

	private ReplicaRetention() {
	}

	/**
	 * Delete what the window no longer needs.
	 * @param storage the replication objects' storage
	 * @param windowStart the oldest instant a restore must still reach
	 * @return the keys deleted
	 * @throws IOException if the storage cannot be listed or an object deleted
	 */
	static List<String> prune(BackupStorage storage, Instant windowStart) throws IOException {
		List<ReplicaKey> keys = new ArrayList<>();
		for (StoredObject object : storage.list()) {
			ReplicaKey.parse(object.key()).ifPresent(keys::add);
		}
		List<String> deleted = new ArrayList<>();
		for (ReplicaKey key : notNeeded(keys, windowStart)) {
			if (storage.delete(key.key())) {
				deleted.add(key.key());
			}
		}
		return deleted;
	}

	/**
	 * Return the objects that no restore inside the window needs.
	 * @param keys every replication object of a storage
	 * @param windowStart the oldest instant a restore must still reach
	 * @return the objects to delete
	 */
	static List<ReplicaKey> notNeeded(Collection<ReplicaKey> keys, Instant windowStart) {
		long cutoff = windowStart.toEpochMilli();
		Optional<ReplicaKey> base = keys.stream()
			.filter((key) -> key.snapshot() && key.committedMillis() <= cutoff)
			.max(Comparator.comparing(ReplicaKey::generation, ReplicaKey.GENERATION_ORDER)
				.thenComparingLong(ReplicaKey::first));
		if (base.isEmpty()) {
			return List.of();
		}
		return keys.stream().filter((key) -> notNeeded(key, base.get())).toList();
	}

	private static boolean notNeeded(ReplicaKey key, ReplicaKey base) {
		int generation = ReplicaKey.GENERATION_ORDER.compare(key.generation(), base.generation());
		if (generation != 0) {
			return generation < 0;
		}
		return key.snapshot() ? key.first() < base.first() : key.last() <= base.first();
	}

}

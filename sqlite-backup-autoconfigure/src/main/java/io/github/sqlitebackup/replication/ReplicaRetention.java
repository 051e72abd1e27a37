package io.github.sqlitebackup.replication;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
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
		long cutoff = windowStart.toEpochMilli();
		Optional<ReplicaKey> base = keys.stream()
			.filter((key) -> key.snapshot() && key.committedMillis() <= cutoff)
			.max(Comparator.comparing(ReplicaKey::generation).thenComparingLong(ReplicaKey::first));
		List<String> deleted = new ArrayList<>();
		if (base.isEmpty()) {
			return deleted;
		}
		for (ReplicaKey key : keys) {
			if (notNeeded(key, base.get()) && storage.delete(key.key())) {
				deleted.add(key.key());
			}
		}
		return deleted;
	}

	private static boolean notNeeded(ReplicaKey key, ReplicaKey base) {
		int generation = key.generation().compareTo(base.generation());
		if (generation != 0) {
			return generation < 0;
		}
		return key.snapshot() ? key.first() < base.first() : key.last() <= base.first();
	}

}

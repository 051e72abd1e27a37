package io.github.sqlitebackup.replication;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import io.github.sqlitebackup.engine.OfflineRestore;
import io.github.sqlitebackup.offsite.BackupDecoder;
import io.github.sqlitebackup.offsite.Codec;
import io.github.sqlitebackup.storage.BackupStorage;
import io.github.sqlitebackup.storage.StoredObject;

/**
 * Restores a replicated database to its latest position or to a point in time: the newest
 * snapshot not after it, then the unbroken chain of segments after that snapshot,
 * transaction by transaction, stopping before the first transaction committed after the
 * point. The result is checked and published like any offline restore.
 */
public final class ReplicaRestore {

	private ReplicaRestore() {
	}

	/**
	 * Restore a database file from replication.
	 * @param storage where the replication objects are
	 * @param decoder reads objects stored compressed or encrypted
	 * @param target the database file to write
	 * @param pointInTime the instant to restore to, or {@code null} for the latest position
	 * @param settings how to check and publish the result
	 * @return what was restored
	 * @throws ReplicaNotFoundException if nothing was replicated at or before the point
	 * @throws IOException if an object is missing, damaged or cannot be read; nothing was
	 * published
	 */
	public static Restored restore(BackupStorage storage, BackupDecoder decoder, Path target,
			@Nullable Instant pointInTime, OfflineRestore.Settings settings) throws IOException {
		long until = (pointInTime != null) ? millis(pointInTime) : Long.MAX_VALUE;
		Plan plan = plan(storage, until);
		Applied applied = new Applied(plan.snapshot().first(), plan.snapshot().committedMillis());
		OfflineRestore.Result result = OfflineRestore
			.restore((staging) -> write(storage, decoder, plan, until, applied, staging), target, settings);
		return new Restored(result, plan.snapshot().generation(), applied.transaction,
				Instant.ofEpochMilli(applied.committedMillis), Objects.requireNonNull(applied.source));
	}

	/** An instant's milliseconds, held within what a long can count (instants of any year parse). */
	private static long millis(Instant instant) {
		try {
			return instant.toEpochMilli();
		}
		catch (ArithmeticException ex) {
			return instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
		}
	}

	/**
	 * Return whether a storage holds replication objects (rather than backups).
	 * @param storage the storage
	 * @return {@code true} if any object is a replication snapshot or segment
	 * @throws IOException if it cannot be listed
	 */
	public static boolean holdsReplica(BackupStorage storage) throws IOException {
		return storage.list().stream().anyMatch((object) -> ReplicaKey.parse(object.key()).isPresent());
	}

	/**
	 * Return when the latest state a restore would reach was committed.
	 * @param storage where the replication objects are
	 * @return the commit time of the newest generation's last transaction, or empty when
	 * nothing restorable was replicated there
	 * @throws IOException if the storage cannot be listed
	 */
	public static Optional<Instant> latest(BackupStorage storage) throws IOException {
		try {
			Plan plan = plan(storage, Long.MAX_VALUE);
			List<ReplicaKey> segments = plan.segments();
			ReplicaKey last = segments.isEmpty() ? plan.snapshot() : segments.get(segments.size() - 1);
			return Optional.of(last.committed());
		}
		catch (ReplicaNotFoundException ex) {
			return Optional.empty();
		}
	}

	private static Plan plan(BackupStorage storage, long until) throws IOException {
		Map<String, List<ReplicaKey>> generations = new TreeMap<>(ReplicaKey.GENERATION_ORDER.reversed());
		for (StoredObject object : storage.list()) {
			Optional<ReplicaKey> key = ReplicaKey.parse(object.key());
			key.ifPresent((parsed) -> generations.computeIfAbsent(parsed.generation(), (name) -> new ArrayList<>())
				.add(parsed));
		}
		for (List<ReplicaKey> keys : generations.values()) {
			Optional<ReplicaKey> snapshot = keys.stream()
				.filter((key) -> key.snapshot() && key.committedMillis() <= until)
				.max(Comparator.comparingLong(ReplicaKey::first));
			if (snapshot.isPresent()) {
				return new Plan(snapshot.get(), chain(keys, snapshot.get(), until, storage));
			}
		}
		throw new ReplicaNotFoundException("No replicated state of the database in " + storage.description()
				+ ((until != Long.MAX_VALUE) ? " at or before " + Instant.ofEpochMilli(until) : ""));
	}

	/** The segments after a snapshot, each starting where the previous one ends. */
	private static List<ReplicaKey> chain(List<ReplicaKey> keys, ReplicaKey snapshot, long until,
			BackupStorage storage) throws IOException {
		List<ReplicaKey> segments = keys.stream()
			.filter((key) -> !key.snapshot() && key.last() > snapshot.first())
			.sorted(ReplicaKey.ORDER)
			.toList();
		List<ReplicaKey> chain = new ArrayList<>();
		long next = snapshot.first() + 1;
		while (true) {
			Optional<ReplicaKey> covering = ReplicaKey.longestHolding(segments, next);
			if (covering.isEmpty()) {
				break;
			}
			chain.add(covering.get());
			next = covering.get().last() + 1;
			if (covering.get().committedMillis() > until) {
				break;
			}
		}
		long end = next;
		Optional<ReplicaKey> beyond = segments.stream().filter((key) -> key.first() > end).findFirst();
		if (beyond.isPresent() && (chain.isEmpty() || chain.get(chain.size() - 1).committedMillis() <= until)) {
			throw new IOException("Replication of generation " + snapshot.generation() + " in " + storage.description()
					+ " has a gap: transaction " + end + " is missing before " + beyond.get().key());
		}
		return chain;
	}

	private static long write(BackupStorage storage, BackupDecoder decoder, Plan plan, long until, Applied applied,
			Path staging) throws IOException {
		try (FileChannel file = FileChannel.open(staging, StandardOpenOption.WRITE)) {
			SnapshotFormat.Header snapshot;
			try (InputStream in = open(storage, decoder, plan.snapshot())) {
				snapshot = SnapshotFormat.read(in, "Snapshot " + plan.snapshot().key(), file);
			}
			int pageSize = snapshot.pageSize();
			applied.commitSize = snapshot.pages();
			applied.source = snapshot.source();
			for (ReplicaKey segment : plan.segments()) {
				boolean complete;
				try (InputStream in = open(storage, decoder, segment)) {
					complete = SegmentFormat.read(in, "Segment " + segment.key(),
							new Applier(file, pageSize, until, applied));
				}
				if (!complete) {
					break;
				}
			}
			long bytes = (long) applied.commitSize * pageSize;
			file.truncate(bytes);
			file.force(true);
			return bytes;
		}
	}

	private static InputStream open(BackupStorage storage, BackupDecoder decoder, ReplicaKey key) throws IOException {
		InputStream stored = storage.open(key.key());
		return key.plain() ? stored : decoder.decodeObject(Codec.parse(key.codec()), stored, "Object " + key.key());
	}

	/** Writes the pages of the transactions to apply; skips those a snapshot already has. */
	private static final class Applier implements SegmentFormat.TransactionReader {

		private final FileChannel file;

		private final int pageSize;

		private final long until;

		private final Applied applied;

		private boolean skipping;

		Applier(FileChannel file, int pageSize, long until, Applied applied) {
			this.file = file;
			this.pageSize = pageSize;
			this.until = until;
			this.applied = applied;
		}

		@Override
		public boolean begin(SegmentFormat.TransactionHeader transaction) throws IOException {
			if (transaction.pageSize() != this.pageSize) {
				throw new IOException("Transaction " + transaction.number() + " has pages of " + transaction.pageSize()
						+ " bytes, the snapshot of " + this.pageSize);
			}
			if (transaction.number() > this.applied.transaction + 1) {
				throw new IOException("Transaction " + (this.applied.transaction + 1) + " is missing before "
						+ transaction.number());
			}
			this.skipping = transaction.number() <= this.applied.transaction;
			return this.skipping || transaction.committedMillis() <= this.until;
		}

		@Override
		public void page(int pageNumber, byte[] content) throws IOException {
			if (this.skipping) {
				return;
			}
			ByteBuffer buffer = ByteBuffer.wrap(content);
			long position = (long) (pageNumber - 1) * this.pageSize;
			while (buffer.hasRemaining()) {
				this.file.write(buffer, position + buffer.position());
			}
		}

		@Override
		public void end(SegmentFormat.TransactionHeader transaction) {
			if (!this.skipping) {
				this.applied.transaction = transaction.number();
				this.applied.committedMillis = transaction.committedMillis();
				this.applied.commitSize = transaction.commitSize();
			}
		}

	}

	/** How far the restore got. */
	private static final class Applied {

		long transaction;

		long committedMillis;

		int commitSize;

		@Nullable String source;

		Applied(long transaction, long committedMillis) {
			this.transaction = transaction;
			this.committedMillis = committedMillis;
		}

	}

	private record Plan(ReplicaKey snapshot, List<ReplicaKey> segments) {
	}

	/**
	 * What a restore from replication wrote.
	 *
	 * @param result the restored file
	 * @param generation the generation it came from
	 * @param transaction the last transaction applied
	 * @param committed when that transaction was committed at the latest
	 * @param source the database file the replication was made from
	 */
	public record Restored(OfflineRestore.Result result, String generation, long transaction, Instant committed,
			String source) {
	}

}

package io.github.sqlitebackup.replication;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.sqlitebackup.engine.StagingFile;
import io.github.sqlitebackup.storage.BackupStorage;
import io.github.sqlitebackup.storage.StoredObject;

/**
 * Merges the segments of a generation into larger ones, level by level, so that a restore
 * reads a bounded number of objects: every finished period of a level (e.g. each 5 minutes,
 * then each hour) becomes one segment with the same transactions, each still with its own
 * commit time, so point-in-time restores are exactly as before. The merged segment is
 * stored before the ones it replaces are deleted; a segment that another, intact, one
 * covers is deleted, which also finishes a merge that a crash interrupted.
 */
final class ReplicaCompaction {

	private static final Log logger = LogFactory.getLog(ReplicaCompaction.class);

	private ReplicaCompaction() {
	}

	/**
	 * Compact the finished periods of each level.
	 * @param storage the replication objects' storage
	 * @param staging where merged segments are written before they are stored
	 * @param levels the period of each level, shortest first
	 * @param now the current time: only periods that ended are compacted
	 * @return what was done
	 * @throws IOException if the storage cannot be read or written
	 */
	static Result compact(BackupStorage storage, Path staging, List<Duration> levels, Instant now) throws IOException {
		Result result = new Result(0, 0);
		for (Duration period : levels) {
			result = result.plus(compactLevel(storage, staging, period.toMillis(), now.toEpochMilli()));
		}
		return result;
	}

	private static Result compactLevel(BackupStorage storage, Path staging, long period, long now)
			throws IOException {
		Map<String, List<ReplicaKey>> buckets = new TreeMap<>();
		List<ReplicaKey> segments = new ArrayList<>();
		for (StoredObject object : storage.list()) {
			ReplicaKey.parse(object.key()).filter((key) -> !key.snapshot()).ifPresent(segments::add);
		}
		segments.sort(ReplicaKey.ORDER);
		int deleted = deleteCovered(storage, segments);
		for (ReplicaKey segment : segments) {
			long bucket = Math.floorDiv(segment.committedMillis(), period);
			if ((bucket + 1) * period <= now) {
				buckets.computeIfAbsent(segment.generation() + "/" + bucket, (name) -> new ArrayList<>()).add(segment);
			}
		}
		int merged = 0;
		for (List<ReplicaKey> bucket : buckets.values()) {
			List<ReplicaKey> chain = contiguous(bucket);
			if (chain.size() > 1) {
				merge(storage, staging, chain);
				for (ReplicaKey part : chain) {
					storage.delete(part.key());
				}
				merged++;
				deleted += chain.size();
			}
		}
		return new Result(merged, deleted);
	}

	/**
	 * Delete segments that a longer one of the same generation covers entirely, once that
	 * one has been read through; a covering segment that cannot be read is deleted instead,
	 * since the segments it claims to cover hold its transactions.
	 */
	private static int deleteCovered(BackupStorage storage, List<ReplicaKey> segments) throws IOException {
		Map<ReplicaKey, Boolean> intact = new HashMap<>();
		List<ReplicaKey> deleted = new ArrayList<>();
		for (ReplicaKey segment : covered(segments)) {
			for (ReplicaKey cover : coversOf(segment, segments)) {
				if (deleted.contains(cover)) {
					continue;
				}
				if (intact.computeIfAbsent(cover, (key) -> intact(storage, key))) {
					storage.delete(segment.key());
					deleted.add(segment);
					break;
				}
				if (coveredByOthers(cover, segments)) {
					logger.warn("Replication segment " + cover.key() + " in " + storage.description() + " is deleted: "
							+ "it cannot be read and the segments it claims to cover hold all its transactions");
					storage.delete(cover.key());
					deleted.add(cover);
				}
			}
		}
		segments.removeAll(deleted);
		return deleted.size();
	}

	private static boolean intact(BackupStorage storage, ReplicaKey segment) {
		try {
			SegmentCheck.verify(storage, segment);
			return true;
		}
		catch (IOException ex) {
			logger.warn("Replication segment " + segment.key() + " in " + storage.description() + " cannot be read, "
					+ "so the segments it covers are kept: " + ex.getMessage());
			return false;
		}
	}

	/**
	 * Whether the other segments of its generation hold every transaction an unreadable
	 * segment claims that any object holds: a contiguous run of them from its first
	 * transaction either reaches its last, or nothing in the generation goes beyond the run
	 * (a merge deletes its parts first to last, so a crash never leaves only the first ones).
	 */
	private static boolean coveredByOthers(ReplicaKey cover, List<ReplicaKey> segments) {
		long next = cover.first();
		long beyond = cover.first();
		for (ReplicaKey part : segments) {
			if (part == cover || !part.generation().equals(cover.generation())) {
				continue;
			}
			if (part.first() <= next && part.last() >= next && part.last() <= cover.last()
					&& (part.last() - part.first()) < (cover.last() - cover.first())) {
				next = part.last() + 1;
			}
			beyond = Math.max(beyond, part.last() + 1);
		}
		return next > cover.first() && (next > cover.last() || beyond <= next);
	}

	private static List<ReplicaKey> coversOf(ReplicaKey segment, List<ReplicaKey> segments) {
		return segments.stream().filter((other) -> covers(other, segment)).toList();
	}

	private static boolean covers(ReplicaKey other, ReplicaKey segment) {
		return !other.snapshot() && other != segment && other.generation().equals(segment.generation())
				&& other.first() <= segment.first() && other.last() >= segment.last()
				&& (other.last() - other.first()) > (segment.last() - segment.first());
	}

	/**
	 * Return the segments that a longer one of the same generation covers entirely.
	 * @param keys replication objects
	 * @return the covered segments
	 */
	static List<ReplicaKey> covered(Collection<ReplicaKey> keys) {
		List<ReplicaKey> covered = new ArrayList<>();
		for (ReplicaKey segment : keys) {
			if (!segment.snapshot() && keys.stream().anyMatch((other) -> covers(other, segment))) {
				covered.add(segment);
			}
		}
		return covered;
	}

	/** The longest run from the bucket's first segment in which each starts where the last ended. */
	private static List<ReplicaKey> contiguous(List<ReplicaKey> bucket) {
		List<ReplicaKey> chain = new ArrayList<>();
		for (ReplicaKey segment : bucket) {
			if (!chain.isEmpty() && segment.first() != chain.get(chain.size() - 1).last() + 1) {
				break;
			}
			chain.add(segment);
		}
		return chain;
	}

	private static void merge(BackupStorage storage, Path staging, List<ReplicaKey> chain) throws IOException {
		ReplicaKey first = chain.get(0);
		ReplicaKey last = chain.get(chain.size() - 1);
		try (StagingFile file = StagingFile.create(staging, "compacted")) {
			try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file.path()), 1 << 16)) {
				SegmentFormat.Writer writer = null;
				for (ReplicaKey part : chain) {
					try (InputStream in = storage.open(part.key())) {
						writer = copy(in, "Segment " + part.key(), out, writer);
					}
				}
				if (writer != null) {
					writer.finish();
				}
			}
			storage.write(ReplicaKey.segment(first.generation(), first.first(), last.last(), last.committedMillis())
				.key(), file.path());
		}
	}

	private static SegmentFormat.Writer copy(InputStream in, String description, OutputStream out,
			SegmentFormat.Writer existing) throws IOException {
		SegmentFormat.Writer[] writer = { existing };
		SegmentFormat.read(in, description, new SegmentFormat.TransactionReader() {

			@Override
			public boolean begin(SegmentFormat.TransactionHeader transaction) throws IOException {
				if (writer[0] == null) {
					writer[0] = new SegmentFormat.Writer(out, transaction.pageSize());
				}
				writer[0].transaction(transaction.number(), transaction.committedMillis(), transaction.commitSize(),
						transaction.pages());
				return true;
			}

			@Override
			public void page(int pageNumber, byte[] content) throws IOException {
				writer[0].page(pageNumber, content, 0);
			}

			@Override
			public void end(SegmentFormat.TransactionHeader transaction) {
			}

		});
		return writer[0];
	}

	/**
	 * What a compaction did.
	 *
	 * @param merged segments written
	 * @param deleted segments deleted
	 */
	record Result(int merged, int deleted) {

		Result plus(Result other) {
			return new Result(this.merged + other.merged, this.deleted + other.deleted);
		}

	}

}

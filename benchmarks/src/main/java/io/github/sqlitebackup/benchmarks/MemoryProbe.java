package io.github.sqlitebackup.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.github.sqlitebackup.BackupOptions;
import io.github.sqlitebackup.BackupResult;

/**
 * Run in its own JVM (with {@code -Xmx64m}): one template backup, then prints the peak
 * heap and the peak resident set size of the process.
 */
public final class MemoryProbe {

	private MemoryProbe() {
	}

	public static void main(String[] args) throws Exception {
		Path source = Path.of(args[0]);
		Path target = Path.of(args[1]);
		BackupResult result = CopyMethods.template(source).backup(target, BackupOptions.defaults());
		long peakHeap = 0;
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				peakHeap += pool.getPeakUsage().getUsed();
			}
		}
		System.out.println("bytes=" + result.bytes() + " millis=" + result.duration().toMillis() + " peakHeapBytes="
				+ peakHeap + " peakRssKib=" + peakRssKib() + " maxHeapBytes=" + Runtime.getRuntime().maxMemory());
	}

	private static long peakRssKib() throws java.io.IOException {
		List<String> status = Files.readAllLines(Path.of("/proc/self/status"));
		return status.stream()
			.filter((line) -> line.startsWith("VmHWM:"))
			.map((line) -> Long.parseLong(line.replaceAll("[^0-9]", "")))
			.findFirst()
			.orElse(-1L);
	}

}

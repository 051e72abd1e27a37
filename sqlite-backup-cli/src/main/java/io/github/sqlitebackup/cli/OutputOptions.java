package io.github.sqlitebackup.cli;

import java.io.PrintStream;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

import org.springframework.boot.json.JsonWriter;

/**
 * How a command reports: text or JSON on standard output, progress bars on standard error.
 */
final class OutputOptions {

	private static final JsonWriter<Map<String, Object>> JSON = JsonWriter.standard();

	@Option(names = "--json", description = "Print the result as JSON (for scripts); messages stay on standard error.")
	boolean json;

	@Option(names = "--progress", negatable = true,
			description = "Progress bars on standard error; by default only on a terminal.")
	@Nullable Boolean progress;

	@Option(names = "--verbose", description = "Also log what the tool does, not only warnings.")
	boolean verbose;

	ProgressBar progressBar() {
		boolean show = (this.progress != null) ? this.progress : System.console() != null;
		return new ProgressBar(show ? System.err : null);
	}

	void printJson(Map<String, Object> result) {
		PrintStream out = System.out;
		out.println(JSON.writeToString(result));
		out.flush();
	}

	static String size(long bytes) {
		if (bytes < 1024) {
			return bytes + " B";
		}
		double value = bytes;
		String[] units = { "KiB", "MiB", "GiB", "TiB" };
		int unit = -1;
		while (value >= 1024 && unit < units.length - 1) {
			value /= 1024;
			unit++;
		}
		return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
	}

}

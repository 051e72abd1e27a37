package io.github.sqlitebackup.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's results as Markdown tables (printed and written to
 * {@code benchmark.md}) and one CSV file ({@code benchmark.csv}).
 */
final class Report {

	private final StringBuilder markdown = new StringBuilder();

	private final List<String> csv = new ArrayList<>(List.of("section,table,row,column,value"));

	private String section = "";

	void section(String title, String text) {
		this.section = title;
		this.markdown.append("\n## ").append(title).append("\n\n");
		if (!text.isEmpty()) {
			this.markdown.append(text).append("\n\n");
		}
	}

	void table(String name, List<String> columns, List<List<String>> rows) {
		this.markdown.append("**").append(name).append("**\n\n| ").append(String.join(" | ", columns)).append(" |\n|");
		this.markdown.append("---|".repeat(columns.size())).append('\n');
		for (List<String> row : rows) {
			this.markdown.append("| ").append(String.join(" | ", row)).append(" |\n");
			for (int i = 1; i < columns.size(); i++) {
				this.csv.add(String.join(",", quote(this.section), quote(name), quote(row.get(0)),
						quote(columns.get(i)), quote(row.get(i))));
			}
		}
		this.markdown.append('\n');
	}

	String markdown() {
		return this.markdown.toString();
	}

	void write(Path directory) throws IOException {
		Files.createDirectories(directory);
		Files.writeString(directory.resolve("benchmark.md"), "# sqlite-backup benchmark\n" + markdown());
		Files.write(directory.resolve("benchmark.csv"), this.csv);
	}

	static String ms(double millis) {
		return Double.isNaN(millis) ? "-" : String.format(Locale.ROOT, (millis < 10) ? "%.2f" : "%.0f", millis);
	}

	static String ratio(double value) {
		return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2fx", value);
	}

	static String mib(long bytes) {
		return number(bytes / (1024.0 * 1024), "%.0f") + " MiB";
	}

	static String number(double value, String format) {
		return String.format(Locale.ROOT, format, value);
	}

	private static String quote(String value) {
		return '"' + value.replace("\"", "\"\"") + '"';
	}

}

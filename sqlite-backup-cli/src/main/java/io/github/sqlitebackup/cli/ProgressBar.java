package io.github.sqlitebackup.cli;

import java.io.PrintStream;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import io.github.sqlitebackup.recovery.BackupCopy;
import io.github.sqlitebackup.recovery.Recovery;

/**
 * A one-line progress bar on standard error, redrawn when the percentage changes; silent
 * without a stream.
 */
final class ProgressBar implements Recovery.Progress {

	private static final int WIDTH = 30;

	private final @Nullable PrintStream err;

	private int shown = -1;

	private @Nullable String drawing;

	ProgressBar(@Nullable PrintStream err) {
		this.err = err;
	}

	@Override
	public void written(BackupCopy copy, long bytes) {
		if (this.err == null) {
			return;
		}
		String name = copy.backup().name();
		if (!name.equals(this.drawing)) {
			end();
			this.drawing = name;
		}
		long total = Math.max(copy.backup().bytes(), 1);
		int percent = (int) Math.min(100, bytes * 100 / total);
		if (percent == this.shown) {
			return;
		}
		this.shown = percent;
		int filled = percent * WIDTH / 100;
		this.err.print(String.format(Locale.ROOT, "\r%s [%s%s] %3d%% %s of %s", name, "#".repeat(filled),
				".".repeat(WIDTH - filled), percent, OutputOptions.size(bytes), OutputOptions.size(total)));
		this.err.flush();
	}

	/** End the current bar's line, if one is drawn. */
	void end() {
		if (this.err != null && this.drawing != null) {
			this.err.println();
			this.drawing = null;
			this.shown = -1;
		}
	}

}

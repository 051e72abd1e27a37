package io.github.sqlitebackup;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Immutable options of a backup or restore. Start from {@link #defaults()} and derive
 * variants with the {@code with...} methods:
 *
 * <pre class="code">
 * BackupOptions options = BackupOptions.defaults()
 *     .withStepSize(1000)
 *     .withStepPause(Duration.ofMillis(1))
 *     .withProgress(p -&gt; log.info("{}% done", p.percentDone()));
 * </pre>
 *
 * The defaults follow Python's {@code sqlite3.Connection.backup}: schema {@code main}, the
 * whole database in one step; plus 100 ms retry sleep, 50 retries, no step pause,
 * {@link Verification#QUICK} before publication, and the {@link CopyEngine#PAGE_COPY page
 * copy} engine for backups.
 */
public final class BackupOptions {

	/** Step size that copies the whole database in one {@code sqlite3_backup_step}. */
	public static final int ALL_PAGES = -1;

	private static final BackupOptions DEFAULTS = new BackupOptions("main", ALL_PAGES, Duration.ofMillis(100), 50,
			Duration.ZERO, Verification.QUICK, null, null, null, null, CopyEngine.PAGE_COPY);

	private final String schema;

	private final int stepSize;

	private final Duration retrySleep;

	private final int maxRetries;

	private final Duration stepPause;

	private final Verification verification;

	private final @Nullable BackupProgressListener progress;

	private final @Nullable BackupCancellation cancellation;

	private final @Nullable BeforePublishListener beforePublish;

	private final @Nullable RestoreListener restoreListener;

	private final CopyEngine copyEngine;

	private BackupOptions(String schema, int stepSize, Duration retrySleep, int maxRetries, Duration stepPause,
			Verification verification, @Nullable BackupProgressListener progress,
			@Nullable BackupCancellation cancellation, @Nullable BeforePublishListener beforePublish,
			@Nullable RestoreListener restoreListener, CopyEngine copyEngine) {
		this.schema = schema;
		this.stepSize = stepSize;
		this.retrySleep = retrySleep;
		this.maxRetries = maxRetries;
		this.stepPause = stepPause;
		this.verification = verification;
		this.progress = progress;
		this.cancellation = cancellation;
		this.beforePublish = beforePublish;
		this.restoreListener = restoreListener;
		this.copyEngine = copyEngine;
	}

	/**
	 * Return the default options.
	 * @return the defaults
	 */
	public static BackupOptions defaults() {
		return DEFAULTS;
	}

	/**
	 * Return options that copy the given schema: {@code main}, or the name of an attached
	 * database.
	 * @param schema the schema name
	 * @return new options
	 */
	public BackupOptions withSchema(String schema) {
		if (schema == null || schema.isBlank()) {
			throw new IllegalArgumentException("schema must not be blank (use \"main\" for the main database)");
		}
		return new BackupOptions(schema, this.stepSize, this.retrySleep, this.maxRetries, this.stepPause,
				this.verification, this.progress, this.cancellation, this.beforePublish, this.restoreListener, this.copyEngine);
	}

	/**
	 * Return options that copy this many pages per {@code sqlite3_backup_step}.
	 * @param stepSize a positive number of pages, or {@link #ALL_PAGES} ({@code -1}) for the
	 * whole database in one step
	 * @return new options
	 */
	public BackupOptions withStepSize(int stepSize) {
		if (stepSize == 0 || stepSize < ALL_PAGES) {
			throw new IllegalArgumentException(
					"stepSize must be a positive number of pages or -1 (all pages in one step), but was " + stepSize);
		}
		return new BackupOptions(this.schema, stepSize, this.retrySleep, this.maxRetries, this.stepPause,
				this.verification, this.progress, this.cancellation, this.beforePublish, this.restoreListener, this.copyEngine);
	}

	/**
	 * Return options that wait this long after {@code SQLITE_BUSY}/{@code SQLITE_LOCKED}
	 * before retrying.
	 * @param retrySleep zero or more, at most {@link Integer#MAX_VALUE} milliseconds
	 * @return new options
	 */
	public BackupOptions withRetrySleep(Duration retrySleep) {
		return new BackupOptions(this.schema, this.stepSize, checkMillis("retrySleep", retrySleep), this.maxRetries,
				this.stepPause, this.verification, this.progress, this.cancellation, this.beforePublish, this.restoreListener, this.copyEngine);
	}

	/**
	 * Return options that give up after this many busy/locked retries of one step.
	 * @param maxRetries zero or more
	 * @return new options
	 */
	public BackupOptions withMaxRetries(int maxRetries) {
		if (maxRetries < 0) {
			throw new IllegalArgumentException("maxRetries must be zero or more, but was " + maxRetries);
		}
		return new BackupOptions(this.schema, this.stepSize, this.retrySleep, maxRetries, this.stepPause,
				this.verification, this.progress, this.cancellation, this.beforePublish, this.restoreListener, this.copyEngine);
	}

	/**
	 * Return options that pause this long after each step, to give writers room.
	 * @param stepPause zero or more, at most {@link Integer#MAX_VALUE} milliseconds
	 * @return new options
	 */
	public BackupOptions withStepPause(Duration stepPause) {
		return new BackupOptions(this.schema, this.stepSize, this.retrySleep, this.maxRetries,
				checkMillis("stepPause", stepPause), this.verification, this.progress, this.cancellation,
				this.beforePublish, this.restoreListener, this.copyEngine);
	}

	/**
	 * Return options that report progress to the given listener after every step.
	 * @param progress the listener, or {@code null} for none
	 * @return new options
	 */
	public BackupOptions withProgress(@Nullable BackupProgressListener progress) {
		return new BackupOptions(this.schema, this.stepSize, this.retrySleep, this.maxRetries, this.stepPause,
				this.verification, progress, this.cancellation, this.beforePublish, this.restoreListener, this.copyEngine);
	}

	/**
	 * Return options whose operation stops when the given token is cancelled.
	 * @param cancellation the token, or {@code null} for none
	 * @return new options
	 */
	public BackupOptions withCancellation(@Nullable BackupCancellation cancellation) {
		return new BackupOptions(this.schema, this.stepSize, this.retrySleep, this.maxRetries, this.stepPause,
				this.verification, this.progress, cancellation, this.beforePublish, this.restoreListener, this.copyEngine);
	}

	/**
	 * Return options that check each copy this way before it is published.
	 * @param verification the check
	 * @return new options
	 */
	public BackupOptions withVerification(Verification verification) {
		Objects.requireNonNull(verification, "verification must not be null");
		return new BackupOptions(this.schema, this.stepSize, this.retrySleep, this.maxRetries, this.stepPause,
				verification, this.progress, this.cancellation, this.beforePublish, this.restoreListener, this.copyEngine);
	}

	/**
	 * Return options that call the given listener with each file backup's verified copy
	 * just before it is published.
	 * @param beforePublish the listener, or {@code null} for none
	 * @return new options
	 */
	public BackupOptions withBeforePublish(@Nullable BeforePublishListener beforePublish) {
		return new BackupOptions(this.schema, this.stepSize, this.retrySleep, this.maxRetries, this.stepPause,
				this.verification, this.progress, this.cancellation, beforePublish, this.restoreListener, this.copyEngine);
	}

	/**
	 * Return options that let the given listener check a restore's staging copy and act
	 * while the restore holds the live database's write lock.
	 * @param restoreListener the listener, or {@code null} for none
	 * @return new options
	 */
	public BackupOptions withRestoreListener(@Nullable RestoreListener restoreListener) {
		return new BackupOptions(this.schema, this.stepSize, this.retrySleep, this.maxRetries, this.stepPause,
				this.verification, this.progress, this.cancellation, this.beforePublish, restoreListener, this.copyEngine);
	}

	/**
	 * Return options whose backups copy with the given engine.
	 * @param copyEngine the engine
	 * @return new options
	 */
	public BackupOptions withCopyEngine(CopyEngine copyEngine) {
		Objects.requireNonNull(copyEngine, "copyEngine must not be null");
		return new BackupOptions(this.schema, this.stepSize, this.retrySleep, this.maxRetries, this.stepPause,
				this.verification, this.progress, this.cancellation, this.beforePublish, this.restoreListener, copyEngine);
	}

	/**
	 * Return the schema to copy.
	 * @return the schema name
	 */
	public String schema() {
		return this.schema;
	}

	/**
	 * Return the pages copied per step.
	 * @return a positive number, or {@link #ALL_PAGES}
	 */
	public int stepSize() {
		return this.stepSize;
	}

	/**
	 * Return the engine that backups copy with.
	 * @return the copy engine
	 */
	public CopyEngine copyEngine() {
		return this.copyEngine;
	}

	/**
	 * Return the wait after a busy or locked step.
	 * @return the retry sleep
	 */
	public Duration retrySleep() {
		return this.retrySleep;
	}

	/**
	 * Return the busy/locked retries allowed per step.
	 * @return the maximum number of retries
	 */
	public int maxRetries() {
		return this.maxRetries;
	}

	/**
	 * Return the pause after each step.
	 * @return the step pause
	 */
	public Duration stepPause() {
		return this.stepPause;
	}

	/**
	 * Return how copies are checked before they are published.
	 * @return the verification
	 */
	public Verification verification() {
		return this.verification;
	}

	/**
	 * Return the listener called before a file backup is published.
	 * @return the listener, or {@code null}
	 */
	public @Nullable BeforePublishListener beforePublish() {
		return this.beforePublish;
	}

	/**
	 * Return the listener of restores.
	 * @return the listener, or {@code null}
	 */
	public @Nullable RestoreListener restoreListener() {
		return this.restoreListener;
	}

	/**
	 * Return the progress listener.
	 * @return the listener, or {@code null}
	 */
	public @Nullable BackupProgressListener progress() {
		return this.progress;
	}

	/**
	 * Return the cancellation token.
	 * @return the token, or {@code null}
	 */
	public @Nullable BackupCancellation cancellation() {
		return this.cancellation;
	}

	private static Duration checkMillis(String name, Duration value) {
		Objects.requireNonNull(value, () -> name + " must not be null");
		if (value.isNegative() || value.toMillis() > Integer.MAX_VALUE) {
			throw new IllegalArgumentException(
					name + " must be between 0 and " + Integer.MAX_VALUE + " ms, but was " + value);
		}
		return value;
	}

	@Override
	public String toString() {
		return "BackupOptions[schema=" + this.schema + ", stepSize=" + this.stepSize + ", retrySleep="
				+ this.retrySleep + ", maxRetries=" + this.maxRetries + ", stepPause=" + this.stepPause + ", verification="
				+ this.verification.label() + ", copyEngine=" + this.copyEngine + "]";
	}

}

package io.github.sqlitebackup.actuate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.InputStreamResource;
import org.springframework.core.io.Resource;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

import io.github.sqlitebackup.SqliteBackupException;
import io.github.sqlitebackup.actuate.OperationDescriptors.Problem;
import io.github.sqlitebackup.actuate.OperationDescriptors.RestoreDescriptor;
import io.github.sqlitebackup.actuate.OperationDescriptors.RunDescriptor;
import io.github.sqlitebackup.catalog.BackupManifest;
import io.github.sqlitebackup.catalog.BackupNames;
import io.github.sqlitebackup.catalog.BackupTrigger;
import io.github.sqlitebackup.job.BackupDatabases;
import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.job.BackupRunOutcome;
import io.github.sqlitebackup.job.LocatedBackup;
import io.github.sqlitebackup.job.RestoreOutcome;
import io.github.sqlitebackup.offsite.BackupNotReadableException;
import io.github.sqlitebackup.replication.ReplicatedDatabases;

/**
 * The {@code sqlitebackup} actuator endpoint:
 * <ul>
 * <li>{@code GET /actuator/sqlitebackup}: every database's state and catalog, by database
 * id;</li>
 * <li>{@code POST /actuator/sqlitebackup/{database}}: run a backup of that database now;
 * answers with the outcome when the backup ends within the response timeout (201
 * published, 200 skipped as unchanged, 500 failed), else 202 while it goes on; 409 while
 * another backup or restore of that database runs; 404 for an unknown database;</li>
 * <li>{@code POST /actuator/sqlitebackup}: the same for the only database; 400 when there
 * are several;</li>
 * <li>{@code GET /actuator/sqlitebackup/{name}}: one backup's manifest;</li>
 * <li>{@code GET /actuator/sqlitebackup/{name}/file}: the backup file itself;</li>
 * <li>{@code DELETE /actuator/sqlitebackup/{name}}: delete a backup (409 for the only
 * verified one);</li>
 * <li>{@code POST /actuator/sqlitebackup/{name}/restore}: restore it into the live
 * database, only with {@code sqlite.backup.restore.enabled=true} (else 403); 409 when
 * refused (a backup of another database or schema version) or busy;
 * {@code .../{name}/force-restore} restores such a backup all the same.</li>
 * <li>{@code POST /actuator/sqlitebackup/{database}/restore/{instant}}, with replication
 * on and restores enabled: return the database to its replicated state at the instant
 * (ISO-8601 with an offset, e.g. {@code 2026-12-04T09:15:00Z}: the last transaction
 * committed at or before it); {@code .../{database}/restore} to its latest replicated
 * state; 404 when nothing was replicated at or before it, otherwise answered like a
 * backup's restore.</li>
 * </ul>
 * Each backup name starts with its database's id, which finds the database. A name that is
 * not a backup name gives 400 and one its database's catalog does not list gives 404: only
 * backups of the catalogs can be read, deleted or restored, each only into its own
 * database. Answers are the endpoint's
 * own descriptors, so the application's JSON settings do not change them.
 */
@WebEndpoint(id = "sqlitebackup")
public class SqliteBackupEndpoint {

	private static final Log logger = LogFactory.getLog(SqliteBackupEndpoint.class);

	private static final String FORCE_RESTORE = "force-restore";

	private static final int STATUS_CREATED = 201;

	private static final int STATUS_ACCEPTED = 202;

	private static final int STATUS_FORBIDDEN = 403;

	private static final int STATUS_CONFLICT = 409;

	private final BackupDatabases databases;

	private final @Nullable ReplicatedDatabases replicated;

	private final Function<String, String> schedules;

	private final boolean restoreEnabled;

	private final Duration responseTimeout;

	private final SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("sqlite-backup-endpoint-");

	/**
	 * Create the endpoint.
	 * @param databases the jobs of the databases
	 * @param replicated the replication of the databases, or {@code null} when it is off
	 * @param schedules each database's schedule in words, by database id
	 * @param restoreEnabled whether restores are allowed
	 * @param responseTimeout how long a triggered backup may take before 202 is answered
	 */
	public SqliteBackupEndpoint(BackupDatabases databases, @Nullable ReplicatedDatabases replicated,
			Function<String, String> schedules, boolean restoreEnabled, Duration responseTimeout) {
		this.databases = databases;
		this.replicated = replicated;
		this.schedules = schedules;
		this.restoreEnabled = restoreEnabled;
		this.responseTimeout = responseTimeout;
		this.executor.setDaemon(true);
	}

	/**
	 * Return every database's state and catalog.
	 * @return the descriptor
	 */
	@ReadOperation
	public DatabasesDescriptor backups() {
		Map<String, BackupsDescriptor> described = new LinkedHashMap<>();
		for (BackupJob job : this.databases.jobs()) {
			described.put(job.databaseId(), describe(job));
		}
		return new DatabasesDescriptor(described);
	}

	private BackupsDescriptor describe(BackupJob job) {
		List<LocatedBackup> backups;
		String listingError = null;
		try {
			backups = job.allBackups();
		}
		catch (SqliteBackupException ex) {
			// the remote storage is down: still show the local backups, and why the others are missing
			listingError = ex.getMessage();
			backups = job.backups().stream().map((backup) -> new LocatedBackup(backup, true, false)).toList();
		}
		String error = listingError;
		BackupsDescriptor.Offsite offsite = job.offsiteStatus()
			.map((status) -> BackupsDescriptor.Offsite.of(status, error))
			.orElse(null);
		return BackupsDescriptor.of(job.databaseId(), job.status(), backups, offsite,
				this.schedules.apply(job.databaseId()), this.restoreEnabled);
	}

	/**
	 * Run a backup of the only database now and answer with its outcome, or with 202 if it
	 * outlasts the response timeout.
	 * @return the outcome, a conflict while another backup or restore runs, or 400 when
	 * there are several databases
	 */
	@WriteOperation
	public WebEndpointResponse<Object> runBackup() {
		List<BackupJob> jobs = this.databases.jobs();
		if (jobs.size() != 1) {
			return badRequest("there are several databases: back one up with POST /actuator/sqlitebackup/{database}, "
					+ "one of " + this.databases.ids());
		}
		return runBackup(jobs.get(0));
	}

	/**
	 * Run a backup of one database now and answer with its outcome, or with 202 if it
	 * outlasts the response timeout.
	 * @param database the database's id
	 * @return the outcome, a conflict while another backup or restore of the database runs,
	 * or 404 for an unknown database
	 */
	@WriteOperation
	public WebEndpointResponse<Object> runBackupOf(@Selector String database) {
		Optional<BackupJob> job = this.databases.job(database);
		if (job.isEmpty()) {
			return new WebEndpointResponse<>(new Problem("NOT_FOUND", "no database of that id; databases: "
					+ this.databases.ids()), WebEndpointResponse.STATUS_NOT_FOUND);
		}
		return runBackup(job.get());
	}

	private WebEndpointResponse<Object> runBackup(BackupJob job) {
		if (job.status().running() != null) {
			return conflict("a backup or restore of database " + job.databaseId()
					+ " is already running; see GET /actuator/sqlitebackup");
		}
		CompletableFuture<BackupRunOutcome> run = CompletableFuture.supplyAsync(() -> job.run(BackupTrigger.MANUAL),
				this.executor);
		try {
			BackupRunOutcome outcome = run.get(this.responseTimeout.toMillis(), TimeUnit.MILLISECONDS);
			return new WebEndpointResponse<>(RunDescriptor.of(outcome), switch (outcome.status()) {
				case SUCCEEDED -> STATUS_CREATED;
				case SKIPPED -> (outcome.cause() == BackupRunOutcome.Cause.ALREADY_RUNNING) ? STATUS_CONFLICT
						: WebEndpointResponse.STATUS_OK;
				case FAILED -> WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR;
			});
		}
		catch (TimeoutException ex) {
			return new WebEndpointResponse<>(new Problem("RUNNING",
					"the backup is still running; see GET /actuator/sqlitebackup"), STATUS_ACCEPTED);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
		}
		catch (ExecutionException ex) {
			return new WebEndpointResponse<>(new Problem("FAILED", String.valueOf(ex.getCause())),
					WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR);
		}
	}

	/**
	 * Return one backup's manifest.
	 * @param name the backup's name
	 * @return the manifest, 400 for an invalid name, 404 for an unknown one
	 */
	@ReadOperation
	public WebEndpointResponse<Object> backup(@Selector String name) {
		if (!BackupNames.isBackupName(name)) {
			return invalidName();
		}
		Optional<BackupJob> owner = this.databases.jobOf(name);
		if (owner.isEmpty()) {
			return notFound();
		}
		BackupJob job = owner.get();
		try {
			return job.find(name)
				.filter((backup) -> !backup.local() || job.backup(name).isPresent())
				.map((backup) -> new WebEndpointResponse<Object>(BackupDescriptor.of(backup)))
				.orElseGet(SqliteBackupEndpoint::notFound);
		}
		catch (SqliteBackupException ex) {
			return unavailable(ex);
		}
	}

	/**
	 * Return a backup file for download: the stored object its manifest describes, opened
	 * without following links.
	 * @param name the backup's name
	 * @param part {@code file}
	 * @return the file, 400 for an invalid name, 404 for an unknown or vanished one
	 */
	@ReadOperation(produces = "application/octet-stream")
	public WebEndpointResponse<Resource> file(@Selector String name, @Selector String part) {
		if (!"file".equals(part)) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		if (!BackupNames.isBackupName(name)) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_BAD_REQUEST);
		}
		Optional<BackupJob> owner = this.databases.jobOf(name);
		if (owner.isEmpty()) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		BackupJob job = owner.get();
		Optional<LocatedBackup> backup;
		try {
			backup = job.find(name).filter((found) -> !found.local() || job.backup(name).isPresent());
		}
		catch (SqliteBackupException ex) {
			return message(ex.getMessage(), WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
		}
		if (backup.isEmpty()) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		try {
			InputStream content = job.open(backup.get());
			return new WebEndpointResponse<>(new InputStreamResource(content));
		}
		catch (BackupNotReadableException ex) {
			return message(ex.getMessage(), STATUS_CONFLICT);
		}
		catch (IOException ex) {
			logger.warn("Backup " + name + " cannot be downloaded: " + ex.getMessage());
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
	}

	/**
	 * Delete a backup and its manifest.
	 * @param name the backup's name
	 * @return 204, 409 for the only verified backup, 400 or 404 as for reads
	 */
	@DeleteOperation
	public WebEndpointResponse<Object> delete(@Selector String name) {
		if (!BackupNames.isBackupName(name)) {
			return invalidName();
		}
		Optional<BackupJob> owner = this.databases.jobOf(name);
		if (owner.isEmpty()) {
			return notFound();
		}
		return switch (owner.get().delete(name)) {
			case DELETED -> new WebEndpointResponse<>(WebEndpointResponse.STATUS_NO_CONTENT);
			case NOT_FOUND -> notFound();
			case REFUSED_ONLY_VERIFIED -> conflict(
					name + " is the only verified backup; it can be deleted once another verified backup exists");
		};
	}

	/**
	 * Restore a backup into the live database, or a replicated database to its latest
	 * replicated state, if restores are enabled.
	 * @param name the backup's name, or the id of a replicated database
	 * @param action {@code restore}, or {@code force-restore} to restore a backup or state of
	 * another database or schema version
	 * @return the restore's outcome, 403 when restores are disabled, 400 or 404 as for reads
	 */
	@WriteOperation
	public WebEndpointResponse<Object> restore(@Selector String name, @Selector String action) {
		return restore(name, action, null);
	}

	/**
	 * Return a replicated database to its state at an instant (the last transaction
	 * committed at or before it), if restores are enabled.
	 * @param database the database's id
	 * @param action {@code restore}, or {@code force-restore} to restore a state of another
	 * schema version
	 * @param at the instant, ISO-8601 with an offset, e.g. {@code 2026-12-04T09:15:00Z}
	 * @return the restore's outcome, 403 when restores are disabled, 400 for a bad instant,
	 * 404 when nothing was replicated at or before it
	 */
	@WriteOperation
	public WebEndpointResponse<Object> restoreAt(@Selector String database, @Selector String action,
			@Selector String at) {
		if (BackupNames.isBackupName(database)) {
			return badRequest("a backup restores the state it holds, at no other instant: POST "
					+ "/actuator/sqlitebackup/{name}/restore; an instant is for a replicated database: POST "
					+ "/actuator/sqlitebackup/{database}/restore/{instant}");
		}
		return restore(database, action, at);
	}

	private WebEndpointResponse<Object> restore(String name, String action, @Nullable String at) {
		boolean force = FORCE_RESTORE.equals(action);
		if (!"restore".equals(action) && !force) {
			return notFound();
		}
		if (!this.restoreEnabled) {
			return new WebEndpointResponse<>(new Problem("FORBIDDEN",
					"restore through the endpoint is disabled; set sqlite.backup.restore.enabled=true to allow it"),
					STATUS_FORBIDDEN);
		}
		if (!BackupNames.isBackupName(name)) {
			Optional<BackupJob> database = this.databases.job(name);
			return database.isPresent() ? restoreReplicated(database.get(), at, force) : invalidName();
		}
		Optional<BackupJob> owner = this.databases.jobOf(name);
		if (owner.isEmpty()) {
			return notFound();
		}
		return answer(owner.get().restore(name, force));
	}

	private WebEndpointResponse<Object> restoreReplicated(BackupJob job, @Nullable String at, boolean force) {
		if (this.replicated == null || !this.replicated.databaseIds().contains(job.databaseId())) {
			return new WebEndpointResponse<>(new Problem("NOT_FOUND", "database " + job.databaseId()
					+ " is not replicated (sqlite.backup.replication.enabled)"), WebEndpointResponse.STATUS_NOT_FOUND);
		}
		Instant pointInTime = null;
		if (at != null) {
			try {
				pointInTime = OffsetDateTime.parse(at).toInstant();
			}
			catch (DateTimeParseException ex) {
				return badRequest("'at' is not an ISO-8601 instant with an offset, e.g. 2026-12-04T09:15:00Z: " + at);
			}
		}
		return answer(this.replicated.restoreLive(job, pointInTime, force));
	}

	private static WebEndpointResponse<Object> answer(RestoreOutcome outcome) {
		return new WebEndpointResponse<>(RestoreDescriptor.of(outcome), switch (outcome.status()) {
			case RESTORED -> WebEndpointResponse.STATUS_OK;
			case NOT_FOUND -> WebEndpointResponse.STATUS_NOT_FOUND;
			case BUSY, REFUSED -> STATUS_CONFLICT;
			case FAILED -> WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR;
		});
	}

	private static WebEndpointResponse<Resource> message(String message, int status) {
		return new WebEndpointResponse<>(new ByteArrayResource((message + "\n").getBytes(StandardCharsets.UTF_8)),
				status);
	}

	private static WebEndpointResponse<Object> unavailable(SqliteBackupException ex) {
		return new WebEndpointResponse<>(new Problem("UNAVAILABLE", ex.getMessage()),
				WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
	}

	private static WebEndpointResponse<Object> badRequest(String message) {
		return new WebEndpointResponse<>(new Problem("BAD_REQUEST", message), WebEndpointResponse.STATUS_BAD_REQUEST);
	}

	private static WebEndpointResponse<Object> invalidName() {
		return new WebEndpointResponse<>(
				new Problem("BAD_REQUEST",
						"not a backup name (names look like app-20261121T140503123Z.db) nor a database id"),
				WebEndpointResponse.STATUS_BAD_REQUEST);
	}

	private static WebEndpointResponse<Object> notFound() {
		return new WebEndpointResponse<>(new Problem("NOT_FOUND", "no backup of that name"),
				WebEndpointResponse.STATUS_NOT_FOUND);
	}

	private static WebEndpointResponse<Object> conflict(String message) {
		return new WebEndpointResponse<>(new Problem("CONFLICT", message), STATUS_CONFLICT);
	}

}

package io.github.sqlitebackup.actuate;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

import io.github.sqlitebackup.RestoreResult;
import io.github.sqlitebackup.job.BackupRunOutcome;
import io.github.sqlitebackup.job.RestoreOutcome;

/**
 * The bodies of the endpoint's write operations and of its errors.
 */
final class OperationDescriptors {

	private OperationDescriptors() {
	}

	/**
	 * What {@code POST /actuator/sqlitebackup} answers when the run ended in time.
	 *
	 * @param status {@code SUCCEEDED}, {@code SKIPPED} or {@code FAILED}
	 * @param trigger what started the run
	 * @param finished when it ended
	 * @param durationMillis how long it took
	 * @param backup the published backup's name, or {@code null}
	 * @param cause why nothing was published ({@code unchanged}, {@code busy}, ...), or
	 * {@code null}
	 * @param message the same in words, or {@code null}
	 */
	record RunDescriptor(String status, String trigger, Instant finished, long durationMillis, @Nullable String backup,
			@Nullable String cause, @Nullable String message) implements OperationResponseBody {

		static RunDescriptor of(BackupRunOutcome outcome) {
			return new RunDescriptor(outcome.status().name(), outcome.trigger().name(), outcome.finished(),
					outcome.duration().toMillis(), (outcome.backup() != null) ? outcome.backup().name() : null,
					BackupsDescriptor.lowerCase(outcome.cause()), outcome.reason());
		}

	}

	/**
	 * What {@code POST /actuator/sqlitebackup/{name}/restore} answers.
	 *
	 * @param status {@code RESTORED}, {@code REFUSED}, {@code FAILED}, {@code BUSY} or
	 * {@code NOT_FOUND}
	 * @param backup the backup to restore
	 * @param safetyBackup the backup of the state before the restore, or {@code null} if
	 * none was made
	 * @param pages the pages restored, or {@code null}
	 * @param bytes the bytes restored, or {@code null}
	 * @param durationMillis how long the restore took, or {@code null}
	 * @param finished when it ended
	 * @param message why nothing was restored, or {@code null}
	 */
	record RestoreDescriptor(String status, String backup, @Nullable String safetyBackup, @Nullable Long pages,
			@Nullable Long bytes, @Nullable Long durationMillis, Instant finished, @Nullable String message)
			implements OperationResponseBody {

		static RestoreDescriptor of(RestoreOutcome outcome) {
			RestoreResult result = outcome.result();
			return new RestoreDescriptor(outcome.status().name(), outcome.backup(), outcome.safetyBackup(),
					(result != null) ? result.pages() : null, (result != null) ? result.bytes() : null,
					(result != null) ? result.duration().toMillis() : null, outcome.finished(), outcome.reason());
		}

	}

	/**
	 * The body of an answer that did nothing.
	 *
	 * @param status what kind of problem: {@code BAD_REQUEST}, {@code NOT_FOUND},
	 * {@code CONFLICT}, {@code FORBIDDEN}, {@code GONE}, {@code RUNNING}
	 * @param message what happened and what to do
	 */
	record Problem(String status, String message) implements OperationResponseBody {

	}

}

package io.github.sqlitebackup.sample;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.job.BackupManifest;
import io.github.sqlitebackup.job.BackupRunOutcome;
import io.github.sqlitebackup.job.BackupTrigger;

/**
 * Runs the auto-configured {@link BackupJob} on request and lists its backups.
 */
@RestController
class BackupController {

	private final BackupJob backups;

	BackupController(BackupJob backups) {
		this.backups = backups;
	}

	@PostMapping("/backups")
	ResponseEntity<BackupRunOutcome> backup() {
		BackupRunOutcome outcome = this.backups.run(BackupTrigger.MANUAL);
		HttpStatus status = switch (outcome.status()) {
			case SUCCEEDED -> HttpStatus.CREATED;
			case SKIPPED -> HttpStatus.CONFLICT;
			case FAILED -> HttpStatus.INTERNAL_SERVER_ERROR;
		};
		return ResponseEntity.status(status).body(outcome);
	}

	@GetMapping("/backups")
	List<BackupManifest> list() {
		return this.backups.backups();
	}

}

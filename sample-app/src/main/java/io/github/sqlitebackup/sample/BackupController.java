package io.github.sqlitebackup.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.github.sqlitebackup.BackupResult;
import io.github.sqlitebackup.SqliteBackupTemplate;

/**
 * Takes a backup on request with the auto-configured {@link SqliteBackupTemplate}.
 */
@RestController
class BackupController {

	private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
		.withZone(ZoneOffset.UTC);

	private final SqliteBackupTemplate backups;

	private final Path directory;

	BackupController(SqliteBackupTemplate backups, @Value("${sample.backup-dir}") Path directory) {
		this.backups = backups;
		this.directory = directory;
	}

	@PostMapping("/backups")
	BackupSummary backup() throws IOException {
		Files.createDirectories(this.directory);
		BackupResult result = this.backups.backup(this.directory.resolve("notes-" + NAME_TIME.format(Instant.now()) + ".db"));
		return new BackupSummary(result.target(), result.pages(), result.bytes(), result.duration().toMillis(),
				result.journalMode().name());
	}

	record BackupSummary(String file, long pages, long bytes, long millis, String journalMode) {
	}

}

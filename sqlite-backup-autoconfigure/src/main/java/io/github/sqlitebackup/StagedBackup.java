package io.github.sqlitebackup;

import java.nio.file.Path;

/**
 * A backup copied into a restore's private staging file, as given to
 * {@link RestoreListener#checkBackup(StagedBackup)}.
 *
 * @param copy the staging copy; read it, do not change or move it
 * @param bytes its size
 * @param sha256 its SHA-256, in lower-case hex, computed while it was copied
 * @param schemaVersion the schema version of the backup
 * @param liveSchemaVersion the schema version of the live database it would replace
 */
public record StagedBackup(Path copy, long bytes, String sha256, SchemaVersion schemaVersion,
		SchemaVersion liveSchemaVersion) {

}

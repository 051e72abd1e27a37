package io.github.sqlitebackup;

import java.nio.file.Path;

/**
 * Called with a file backup's complete, verified copy just before it is renamed to its
 * target, e.g. to hash it or to write a manifest beside it. If it throws, nothing is
 * published and the backup fails with a {@link SqliteBackupException} whose cause is the
 * thrown exception.
 */
@FunctionalInterface
public interface BeforePublishListener {

	/**
	 * Called before publication.
	 * @param copy the verified copy, under its temporary name; read it, do not move it
	 * @param result the backup's result as it will be returned, with the target path, but
	 * without its {@code sha256}, which is computed after this listener
	 * @throws Exception to stop the publication
	 */
	void beforePublish(Path copy, BackupResult result) throws Exception;

}

package io.github.sqlitebackup.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.github.sqlitebackup.catalog.BackupNames;

/**
 * The backup jobs of the application's SQLite databases, by database id, in their
 * order (the primary database first). A backup's name starts with its database's id, so
 * each name belongs to exactly one job.
 */
public final class BackupDatabases {

	private final Map<String, BackupJob> jobs = new LinkedHashMap<>();

	/**
	 * Create the registry.
	 * @param jobs the jobs, one per database
	 * @throws IllegalArgumentException if two jobs have the same database id (also when
	 * they differ only in case: their backups would share names on case-insensitive file
	 * systems)
	 */
	public BackupDatabases(List<BackupJob> jobs) {
		Map<String, String> lowerCase = new LinkedHashMap<>();
		for (BackupJob job : jobs) {
			String id = job.databaseId();
			String other = lowerCase.putIfAbsent(id.toLowerCase(Locale.ROOT), id);
			if (other != null) {
				throw new IllegalArgumentException("two databases have the id '" + id + "' (" + this.jobs.get(other)
					.database()
					.description() + " and " + job.database().description() + "): each needs its own id");
			}
			this.jobs.put(id, job);
		}
	}

	/**
	 * Return the jobs in order.
	 * @return the jobs
	 */
	public List<BackupJob> jobs() {
		return new ArrayList<>(this.jobs.values());
	}

	/**
	 * Return the database ids in order.
	 * @return the ids
	 */
	public Set<String> ids() {
		return this.jobs.keySet();
	}

	/**
	 * Return the job of a database.
	 * @param id the database's id
	 * @return its job, or empty for an unknown id
	 */
	public Optional<BackupJob> job(String id) {
		return Optional.ofNullable(this.jobs.get(id));
	}

	/**
	 * Return the job whose database a backup belongs to, judged by the backup's name.
	 * @param backupName a backup's name
	 * @return the job, or empty when the name is not a backup name or no database has its
	 * prefix
	 */
	public Optional<BackupJob> jobOf(String backupName) {
		String prefix = BackupNames.prefixOf(backupName);
		return (prefix != null) ? job(prefix) : Optional.empty();
	}

}

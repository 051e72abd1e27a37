package io.github.sqlitebackup.autoconfigure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;

import io.github.sqlitebackup.DatabaseInfo;
import io.github.sqlitebackup.SqliteBackupException;
import io.github.sqlitebackup.SqliteBackupTemplate;
import io.github.sqlitebackup.job.BackupJob;

/**
 * Says at start-up which SQLite DataSources of the application no job backs up, and how
 * to add them: a database must never go without backups unnoticed. Only DataSources that
 * are SQLite by their type or URL are looked at, so no other database is connected to.
 */
final class NotBackedUp {

	private static final Log logger = LogFactory.getLog(NotBackedUp.class);

	private NotBackedUp() {
	}

	/**
	 * Log the SQLite DataSources whose main database no job backs up.
	 * @param beanFactory where the DataSource beans are
	 * @param jobs the jobs
	 * @param primary the application's single or primary DataSource, or {@code null}
	 * @return the names of the DataSource beans not backed up
	 */
	static List<String> report(ListableBeanFactory beanFactory, List<BackupJob> jobs,
			@Nullable DataSource primary) {
		Set<Path> backedUp = jobs.stream()
			.map((job) -> job.database().file())
			.filter(Objects::nonNull)
			.map(ConfiguredDatabases::realPath)
			.collect(Collectors.toSet());
		List<String> missing = new ArrayList<>();
		for (Map.Entry<String, DataSource> bean : beanFactory.getBeansOfType(DataSource.class).entrySet()) {
			if (!Boolean.TRUE.equals(SqliteDataSources.isSqlite(bean.getValue()))) {
				continue;
			}
			DatabaseInfo database;
			try {
				database = new SqliteBackupTemplate(bean.getValue()).database();
			}
			catch (SqliteBackupException ex) {
				continue;
			}
			if (database.file() == null || backedUp.contains(ConfiguredDatabases.realPath(database.file()))) {
				continue;
			}
			missing.add(bean.getKey());
			String message = "The SQLite DataSource '" + bean.getKey() + "' (" + database.description()
					+ ") is not backed up; to back it up, set " + SqliteBackupProperties.PREFIX
					+ ".databases.<id>.data-source=" + bean.getKey();
			if (bean.getValue() == primary) {
				logger.warn(message + " (it is the application's primary DataSource: the application's own "
						+ "SqliteBackupTemplate, BackupCatalog or BackupJob beans replaced the auto-configured ones)");
			}
			else {
				logger.info(message);
			}
		}
		return missing;
	}

}

package io.github.sqlitebackup.autoconfigure;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanNotOfRequiredTypeException;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.SmartLifecycle;

import io.github.sqlitebackup.DatabaseInfo;
import io.github.sqlitebackup.SqliteBackupException;
import io.github.sqlitebackup.SqliteBackupTemplate;
import io.github.sqlitebackup.catalog.BackupCatalog;
import io.github.sqlitebackup.job.BackupJob;
import io.github.sqlitebackup.job.BackupScheduler;
import io.github.sqlitebackup.offsite.OffsiteCopies;

/**
 * The databases of {@code sqlite.backup.databases}: for each, a template over its
 * DataSource and schema, a catalog, off-site copies when a remote storage is configured,
 * a job and its schedule, started and stopped with the application like the primary
 * database's. Bad entries stop start-up with a message that names the property.
 */
final class ConfiguredDatabases implements SmartLifecycle {

	private final Map<String, Entry> entries;

	private volatile boolean running;

	private ConfiguredDatabases(Map<String, Entry> entries) {
		this.entries = entries;
	}

	/**
	 * Set up every configured database.
	 * @param properties the properties
	 * @param beanFactory where DataSource beans are looked up by name
	 * @param primaryDataSource the application's single or primary DataSource, for
	 * entries that name only a schema
	 * @param otherJobs the jobs of databases backed up otherwise (the primary database's),
	 * which no entry may duplicate
	 * @param offsite the off-site storage of each database, or {@code null} without one
	 * @param shared what the databases share
	 * @return the databases
	 */
	static ConfiguredDatabases create(SqliteBackupProperties properties, ListableBeanFactory beanFactory,
			@Nullable DataSource primaryDataSource, List<BackupJob> otherJobs,
			@Nullable Function<String, OffsiteStorage> offsite, DatabaseSetup.Shared shared) {
		Map<String, Entry> entries = new LinkedHashMap<>();
		Map<String, String> ids = new LinkedHashMap<>();
		Map<Path, String> files = new LinkedHashMap<>();
		for (BackupJob job : otherJobs) {
			ids.put(job.databaseId().toLowerCase(Locale.ROOT), job.databaseId());
			DatabaseInfo database = job.database();
			if (database.file() != null) {
				files.put(realPath(database.file()), "database '" + job.databaseId() + "'");
			}
		}
		for (String id : properties.getDatabases().keySet()) {
			SqliteBackupProperties database = properties.forDatabase(id);
			String prefix = database.prefix();
			String other = ids.putIfAbsent(id.toLowerCase(Locale.ROOT), id);
			if (other != null) {
				throw new InvalidConfigurationPropertyValueException(SqliteBackupProperties.PREFIX + ".databases", id,
						"the id '" + id + "' is already the id of database '" + other
								+ "' (ids name backups, so they must differ also in case)");
			}
			SqliteBackupProperties.Database entry = properties.getDatabases().get(id);
			DataSource dataSource = dataSource(prefix, entry.getDataSource(), beanFactory, primaryDataSource);
			SqliteBackupTemplate template = new SqliteBackupTemplate(dataSource, database.toBackupOptions());
			DatabaseInfo info = databaseInfo(template, prefix, entry);
			if (info.file() != null) {
				String previous = files.putIfAbsent(realPath(info.file()), "database '" + id + "'");
				if (previous != null) {
					throw new InvalidConfigurationPropertyValueException(prefix + ".data-source", entry.getDataSource(),
							"it is the database file " + info.file() + ", which " + previous
									+ " already backs up; each database needs only one entry");
				}
			}
			BackupCatalog catalog = DatabaseSetup.catalog(template, database);
			OffsiteCopies copies = null;
			if (offsite != null) {
				String remotePrefix = (entry.getRemotePrefix() != null) ? entry.getRemotePrefix() : id;
				copies = offsite.apply(remotePrefix).copiesOf(catalog, database);
			}
			BackupJob job = DatabaseSetup.job(template, catalog, database, copies, shared);
			entries.put(id, new Entry(job, DatabaseSetup.scheduler(job, database)));
		}
		return new ConfiguredDatabases(entries);
	}

	private static DataSource dataSource(String prefix, @Nullable String name, ListableBeanFactory beanFactory,
			@Nullable DataSource primaryDataSource) {
		if (name == null) {
			if (primaryDataSource == null) {
				throw new InvalidConfigurationPropertyValueException(prefix + ".data-source", null,
						"the schema is looked up in the application's DataSource, but there is no single or primary one; "
								+ "name the DataSource bean (DataSource beans: " + dataSourceNames(beanFactory) + ")");
			}
			return primaryDataSource;
		}
		DataSource dataSource;
		try {
			dataSource = beanFactory.getBean(name, DataSource.class);
		}
		catch (BeanNotOfRequiredTypeException ex) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".data-source", name,
					"the bean '" + name + "' is a " + ex.getActualType().getName() + ", not a DataSource");
		}
		catch (NoSuchBeanDefinitionException ex) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".data-source", name,
					"there is no DataSource bean named '" + name + "' (DataSource beans: " + dataSourceNames(beanFactory)
							+ ")");
		}
		if (Boolean.FALSE.equals(SqliteDataSources.isSqlite(dataSource))) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".data-source", name,
					"the DataSource '" + name + "' is not SQLite");
		}
		return dataSource;
	}

	private static String dataSourceNames(ListableBeanFactory beanFactory) {
		String[] names = beanFactory.getBeanNamesForType(DataSource.class);
		return (names.length > 0) ? String.join(", ", names) : "none";
	}

	private static DatabaseInfo databaseInfo(SqliteBackupTemplate template, String prefix,
			SqliteBackupProperties.Database entry) {
		try {
			return template.database();
		}
		catch (SqliteBackupException ex) {
			if (entry.getSchema() != null) {
				throw new InvalidConfigurationPropertyValueException(prefix + ".schema", entry.getSchema(),
						ex.getMessage());
			}
			throw new InvalidConfigurationPropertyValueException(prefix + ".data-source", entry.getDataSource(),
					ex.getMessage());
		}
	}

	static Path realPath(Path file) {
		try {
			return file.toRealPath();
		}
		catch (IOException ex) {
			return file.toAbsolutePath().normalize();
		}
	}

	/**
	 * Return the configured databases' jobs, in the order of the configuration.
	 * @return the jobs
	 */
	List<BackupJob> jobs() {
		return this.entries.values().stream().map(Entry::job).toList();
	}

	@Override
	public void start() {
		this.entries.values().forEach((entry) -> entry.scheduler().start());
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.entries.values().forEach((entry) -> entry.scheduler().stop());
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return BackupScheduler.PHASE;
	}

	/**
	 * Makes the off-site copies of a database in one remote storage.
	 */
	@FunctionalInterface
	interface OffsiteStorage {

		OffsiteCopies copiesOf(BackupCatalog catalog, SqliteBackupProperties properties);

	}

	private record Entry(BackupJob job, BackupScheduler scheduler) {
	}

}

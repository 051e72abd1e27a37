package io.github.sqlitebackup.autoconfigure;

import java.time.Clock;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotatedTypeMetadata;

import io.github.sqlitebackup.storage.BackupStorage;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * of restore on start-up ({@code sqlite.backup.restore.on-startup=if-missing}): each
 * backed-up database whose file is missing is restored while its DataSource bean is
 * created, so that nothing (the pool's users, {@code schema.sql}, Flyway, Liquibase, JPA)
 * sees the DataSource before the restore is done.
 */
@AutoConfiguration
@ConditionalOnClass(name = "org.sqlite.SQLiteConnection")
@ConditionalOnBooleanProperty(name = "sqlite.backup.enabled", matchIfMissing = true)
@Conditional(SqliteBackupStartupRestoreAutoConfiguration.OnRestoreOnStartupCondition.class)
@EnableConfigurationProperties({ SqliteBackupProperties.class, SqliteBackupRemoteProperties.class,
		SqliteBackupReplicationProperties.class })
public final class SqliteBackupStartupRestoreAutoConfiguration {

	@Bean
	static BeanPostProcessor sqliteBackupStartupRestorePostProcessor(ObjectProvider<StartupRestore> startupRestore) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessBeforeInitialization(Object bean, String beanName) {
				if (bean instanceof DataSource dataSource) {
					startupRestore.getObject().restoreIfMissing(beanName, dataSource);
				}
				return bean;
			}

		};
	}

	@Bean
	StartupRestore sqliteBackupStartupRestore(SqliteBackupProperties properties, SqliteBackupRemoteProperties remote,
			ConfigurableListableBeanFactory beanFactory, ObjectProvider<BackupStorage> applicationStorage,
			ObjectProvider<RemoteStorageFactory> s3, ObjectProvider<Clock> clock, ResourceLoader resourceLoader,
			SqliteBackupReplicationProperties replication) {
		StartupRestore.RemoteLocations remoteLocations = (path) -> {
			BackupStorage storage = applicationStorage.getIfUnique();
			if (storage == null && remote.getUrl() == null) {
				return null;
			}
			return new StartupRestore.RemoteLocation(
					DatabaseSetup.remoteStorage(remote, storage, s3.getIfAvailable(), path),
					OffsiteSetup.decoder(remote, resourceLoader.getClassLoader()));
		};
		return new StartupRestore(properties, beanFactory, remoteLocations, clock.getIfAvailable(Clock::systemUTC),
				replication.isEnabled());
	}

	/**
	 * Matches when {@code sqlite.backup.restore.on-startup} is other than {@code never}.
	 */
	static final class OnRestoreOnStartupCondition extends SpringBootCondition {

		private static final String PROPERTY = SqliteBackupProperties.PREFIX + ".restore.on-startup";

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			ConditionMessage.Builder message = ConditionMessage.forCondition("Restore on start-up");
			SqliteBackupProperties.OnStartup mode = Binder.get(context.getEnvironment())
				.bind(PROPERTY, SqliteBackupProperties.OnStartup.class)
				.orElse(SqliteBackupProperties.OnStartup.NEVER);
			return (mode == SqliteBackupProperties.OnStartup.NEVER)
					? ConditionOutcome.noMatch(message.because(PROPERTY + " is never"))
					: ConditionOutcome.match(message.because(PROPERTY + " is " + mode));
		}

	}

}

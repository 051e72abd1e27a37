package io.github.sqlitebackup.autoconfigure;

import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import org.sqlite.SQLiteDataSource;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the application's DataSource is, or may be, SQLite:
 * {@code spring.datasource.url} starts with {@code jdbc:sqlite:}; or, without that
 * property, a DataSource bean is a {@link SQLiteDataSource} or the application declares
 * DataSource beans of its own (e.g. a HikariCP pool over a {@code jdbc:sqlite:} URL),
 * whose URL is checked when the bean is created. Decided from configuration and bean
 * definitions, without creating beans or opening connections. Evaluated when beans are
 * registered, so that DataSource beans of the application's own configuration are seen.
 * The message names the other DataSource beans and how to back them up.
 */
class OnSqliteDataSourceCondition extends SpringBootCondition implements ConfigurationCondition {

	private static final String URL_PROPERTY = "spring.datasource.url";

	@Override
	public ConfigurationPhase getConfigurationPhase() {
		return ConfigurationPhase.REGISTER_BEAN;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("SQLite DataSource");
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		List<String> dataSources = (beanFactory != null)
				? Arrays.asList(beanFactory.getBeanNamesForType(DataSource.class, true, false)) : List.of();
		String others = (dataSources.size() > 1) ? "; of the DataSource beans " + dataSources + " only the primary one "
				+ "is backed up unless " + SqliteBackupProperties.PREFIX + ".databases.<id>.data-source names another" : "";
		String url = context.getEnvironment().getProperty(URL_PROPERTY);
		if (url != null) {
			return SqliteDataSources.isSqliteUrl(url)
					? ConditionOutcome.match(message.found(URL_PROPERTY).items(url + others))
					: ConditionOutcome.noMatch(message.because(URL_PROPERTY + " " + url + " is not a SQLite URL"));
		}
		if (beanFactory == null) {
			return ConditionOutcome.noMatch(message.because("there is no bean factory to look for DataSources in"));
		}
		if (beanFactory.getBeanNamesForType(SQLiteDataSource.class, true, false).length > 0) {
			return ConditionOutcome.match(message.found("bean of type").items(SQLiteDataSource.class.getName() + others));
		}
		List<String> declared = dataSources.stream()
			.filter((name) -> !beanFactory.containsBeanDefinition(name)
					|| !isSpringBoots(beanFactory.getBeanDefinition(name)))
			.toList();
		if (!declared.isEmpty()) {
			return ConditionOutcome.match(message.found("DataSource bean of the application")
				.items(declared + ", without " + URL_PROPERTY + ": the primary one is checked to be SQLite when it "
						+ "is created" + others));
		}
		return ConditionOutcome.noMatch(message.because("neither " + URL_PROPERTY
				+ " is set nor has the application a DataSource bean of its own (Spring Boot's, without a URL, is an "
				+ "embedded database)"));
	}

	/**
	 * Whether a DataSource is Spring Boot's own; without a URL that is an embedded
	 * database (H2, HSQLDB, Derby), never SQLite.
	 */
	private static boolean isSpringBoots(BeanDefinition definition) {
		String factory = definition.getFactoryBeanName();
		return factory != null && factory.startsWith("org.springframework.boot.");
	}

}

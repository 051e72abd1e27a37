package io.github.sqlitebackup.autoconfigure;

import java.util.Locale;

import org.sqlite.SQLiteDataSource;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the application's DataSource is SQLite: {@code spring.datasource.url}
 * starts with {@code jdbc:sqlite:}, or, without that property, a DataSource bean is a
 * {@link SQLiteDataSource}. Decided from configuration and bean definitions, without
 * creating beans or opening connections. Evaluated when beans are registered, so that
 * DataSource beans of the application's own configuration are seen.
 */
class OnSqliteDataSourceCondition extends SpringBootCondition implements ConfigurationCondition {

	private static final String URL_PROPERTY = "spring.datasource.url";

	private static final String SQLITE_URL_PREFIX = "jdbc:sqlite:";

	@Override
	public ConfigurationPhase getConfigurationPhase() {
		return ConfigurationPhase.REGISTER_BEAN;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("SQLite DataSource");
		String url = context.getEnvironment().getProperty(URL_PROPERTY);
		if (url != null) {
			return url.trim().toLowerCase(Locale.ROOT).startsWith(SQLITE_URL_PREFIX)
					? ConditionOutcome.match(message.found(URL_PROPERTY).items(url))
					: ConditionOutcome.noMatch(message.because(URL_PROPERTY + " " + url + " is not a SQLite URL"));
		}
		if (context.getBeanFactory() != null
				&& context.getBeanFactory().getBeanNamesForType(SQLiteDataSource.class, true, false).length > 0) {
			return ConditionOutcome.match(message.found("bean of type").items(SQLiteDataSource.class.getName()));
		}
		return ConditionOutcome.noMatch(message.because(
				"neither " + URL_PROPERTY + " starts with " + SQLITE_URL_PREFIX + " nor is there a SQLiteDataSource bean"));
	}

}

package io.github.sqlitebackup.autoconfigure;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code sqlite.backup.databases} has at least one entry.
 */
class OnConfiguredDatabasesCondition extends SpringBootCondition {

	private static final String PROPERTY = SqliteBackupProperties.PREFIX + ".databases";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("Configured SQLite databases");
		Map<String, Object> databases = Binder.get(context.getEnvironment())
			.bind(PROPERTY, Bindable.mapOf(String.class, Object.class))
			.orElse(Map.of());
		return databases.isEmpty() ? ConditionOutcome.noMatch(message.didNotFind("entries in").items(PROPERTY))
				: ConditionOutcome.match(message.found(PROPERTY).items(databases.keySet()));
	}

}

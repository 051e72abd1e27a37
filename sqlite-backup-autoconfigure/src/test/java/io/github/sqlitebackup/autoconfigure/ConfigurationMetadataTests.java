package io.github.sqlitebackup.autoconfigure;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated configuration metadata documents every property with its default, so
 * IDEs can complete and explain {@code sqlite.backup.*}.
 */
class ConfigurationMetadataTests {

	@ParameterizedTest
	@CsvSource({ "sqlite.backup.enabled, true", "sqlite.backup.step-size, -1", "sqlite.backup.retry-sleep, 100ms",
			"sqlite.backup.step-pause, 0", "sqlite.backup.max-retries, 50", "sqlite.backup.schema, main",
			"sqlite.backup.verify, quick", "sqlite.backup.directory, backups", "sqlite.backup.name-prefix, null",
			"sqlite.backup.skip-if-unchanged, false", "sqlite.backup.schedule.cron, null",
			"sqlite.backup.schedule.zone, null", "sqlite.backup.schedule.fixed-delay, null",
			"sqlite.backup.schedule.initial-delay, 0", "sqlite.backup.retention.keep-last, 24",
			"sqlite.backup.retention.max-age, 30d", "sqlite.backup.shutdown.timeout, 30s",
			"sqlite.backup.shutdown.backup, false", "sqlite.backup.restore.enabled, false",
			"sqlite.backup.health.max-age, null", "sqlite.backup.endpoint.response-timeout, 30s",
			"sqlite.backup.remote.url, null", "sqlite.backup.remote.endpoint, null",
			"sqlite.backup.remote.path-style-access, false", "sqlite.backup.remote.compression, null",
			"sqlite.backup.remote.request-checksum-calculation, when-required", "sqlite.backup.remote.part-size, 8MB",
			"sqlite.backup.remote.encryption.age-recipients, null", "sqlite.backup.remote.retention.keep-last, null",
			"sqlite.backup.remote.retry.initial-backoff, 5s", "sqlite.backup.remote.retry.max-backoff, 5m" })
	void propertyIsDocumentedWithItsDefault(String name, String defaultValue) throws Exception {
		List<Map<String, Object>> entries;
		try (InputStream json = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			entries = JsonPath.parse(json).read("$.properties[?(@.name == '" + name + "')]");
		}
		assertThat(entries).hasSize(1);
		assertThat(entries.get(0).get("description")).asString().hasSizeGreaterThan(20);
		assertThat(String.valueOf(entries.get(0).get("defaultValue"))).isEqualTo(defaultValue);
	}

}

package io.github.sqlitebackup.autoconfigure;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's property table and the generated configuration metadata agree: the same
 * properties, types and defaults.
 */
class ReadmePropertiesTests {

	private static final Pattern ROW = Pattern
		.compile("^\\| `(sqlite\\.backup\\.[a-z.-]+)` \\| `([A-Za-z<>,]+)` \\| (.+?) \\| (.+) \\|$");

	@Test
	void readmeDocumentsEveryPropertyWithItsTypeAndDefault() throws Exception {
		Map<String, Map<String, Object>> metadata = new TreeMap<>();
		try (InputStream json = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			List<Map<String, Object>> properties = JsonPath.parse(json).read("$.properties[*]");
			properties.stream()
				.filter((property) -> ((String) property.get("name")).startsWith("sqlite.backup."))
				.forEach((property) -> metadata.put((String) property.get("name"), property));
		}
		Map<String, String[]> readme = new TreeMap<>();
		for (String line : Files.readAllLines(Path.of("..", "README.md"))) {
			Matcher row = ROW.matcher(line);
			if (row.matches()) {
				readme.put(row.group(1), new String[] { row.group(2), row.group(3) });
			}
		}
		assertThat(readme.keySet()).isEqualTo(metadata.keySet());
		metadata.forEach((name, property) -> {
			String[] documented = readme.get(name);
			String type = (String) property.get("type");
			// simple names, also of type arguments and nested classes: List<String>, ChecksumCalculation
			assertThat(documented[0]).as("type of " + name).isEqualTo(type.replaceAll("[\\w.]*[.$]", ""));
			Object defaultValue = property.get("defaultValue");
			if (defaultValue != null) {
				assertThat(documented[1]).as("default of " + name).isEqualTo("`" + defaultValue + "`");
			}
			else {
				assertThat(documented[1]).as("default of " + name).doesNotStartWith("`");
			}
			assertThat((String) property.get("description")).as("description of " + name).isNotBlank();
		});
	}

}

package io.github.sqlitebackup.job;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.json.JsonWriter;

import io.github.sqlitebackup.BackupResult;
import io.github.sqlitebackup.Verification;

/**
 * The facts about one published backup, stored as JSON beside it
 * ({@code <name>.manifest.json}) and listed by the catalog.
 *
 * @param name the backup's file name
 * @param created when the backup was made
 * @param source the database file that was backed up, or a description for in-memory ones
 * @param schema the schema that was backed up
 * @param journalMode the source's journal mode
 * @param pageSize the page size in bytes
 * @param pageCount the number of pages
 * @param bytes the backup file's size
 * @param sha256 the SHA-256 of the backup file, in hex
 * @param sqliteVersion the SQLite version that made the copy
 * @param verification how the copy was checked before publication: {@code none},
 * {@code quick} or {@code full}
 * @param durationMillis how long copy and verification took
 * @param verificationMillis how long the verification took
 * @param steps the number of backup steps
 * @param restarts how often the copy restarted
 * @param changeSignature the source's change signature when the backup started, or
 * {@code null}
 */
public record BackupManifest(String name, Instant created, String source, String schema, String journalMode,
		int pageSize, long pageCount, long bytes, String sha256, String sqliteVersion, String verification,
		long durationMillis, long verificationMillis, int steps, int restarts, @Nullable String changeSignature) {

	private static final JsonWriter<Map<String, Object>> JSON = JsonWriter.standard();

	/**
	 * Create the manifest of a backup.
	 * @param name the backup's file name
	 * @param created when the backup was made
	 * @param source the backed-up database
	 * @param result the backup's result
	 * @param sha256 the SHA-256 of the backup file
	 * @param changeSignature the source's change signature, or {@code null}
	 * @return the manifest
	 */
	static BackupManifest of(String name, Instant created, String source, BackupResult result, String sha256,
			@Nullable String changeSignature) {
		return new BackupManifest(name, created, source, result.schema(), result.journalMode().pragmaValue(),
				result.pageSize(), result.pages(), result.bytes(), sha256, result.sqliteVersion(),
				result.verification().label(), result.duration().toMillis(), result.verificationDuration().toMillis(),
				result.steps(), result.restarts(), changeSignature);
	}

	/**
	 * Return whether the backup was checked with {@code quick_check} or
	 * {@code integrity_check} before publication.
	 * @return {@code true} if verified
	 */
	public boolean verified() {
		return !Verification.NONE.label().equals(this.verification);
	}

	/**
	 * Return this manifest as JSON.
	 * @return the JSON text
	 */
	String toJson() {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("name", this.name);
		json.put("created", this.created.toString());
		json.put("source", this.source);
		json.put("schema", this.schema);
		json.put("journalMode", this.journalMode);
		json.put("pageSize", this.pageSize);
		json.put("pageCount", this.pageCount);
		json.put("bytes", this.bytes);
		json.put("sha256", this.sha256);
		json.put("sqliteVersion", this.sqliteVersion);
		json.put("verification", this.verification);
		json.put("durationMillis", this.durationMillis);
		json.put("verificationMillis", this.verificationMillis);
		json.put("steps", this.steps);
		json.put("restarts", this.restarts);
		if (this.changeSignature != null) {
			json.put("changeSignature", this.changeSignature);
		}
		return JSON.writeToString(json) + "\n";
	}

	/**
	 * Read a manifest from JSON.
	 * @param text the JSON text
	 * @return the manifest
	 * @throws IllegalArgumentException if the text is not a complete manifest
	 */
	static BackupManifest fromJson(String text) {
		Map<String, Object> json = JsonParserFactory.getJsonParser().parseMap(text);
		return new BackupManifest(string(json, "name"), Instant.parse(string(json, "created")),
				string(json, "source"), string(json, "schema"), string(json, "journalMode"),
				(int) number(json, "pageSize"), number(json, "pageCount"), number(json, "bytes"),
				string(json, "sha256"), string(json, "sqliteVersion"), string(json, "verification"),
				number(json, "durationMillis"), number(json, "verificationMillis"), (int) number(json, "steps"),
				(int) number(json, "restarts"), (String) json.get("changeSignature"));
	}

	private static String string(Map<String, Object> json, String key) {
		if (!(json.get(key) instanceof String value)) {
			throw new IllegalArgumentException("manifest has no text field '" + key + "'");
		}
		return value;
	}

	private static long number(Map<String, Object> json, String key) {
		if (!(json.get(key) instanceof Number value)) {
			throw new IllegalArgumentException("manifest has no number field '" + key + "'");
		}
		return value.longValue();
	}

}

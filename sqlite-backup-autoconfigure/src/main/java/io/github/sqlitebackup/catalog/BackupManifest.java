package io.github.sqlitebackup.catalog;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.json.JsonWriter;

import io.github.sqlitebackup.BackupResult;
import io.github.sqlitebackup.JournalMode;
import io.github.sqlitebackup.SchemaVersion;
import io.github.sqlitebackup.Verification;

/**
 * The facts about one published backup, stored as JSON beside it
 * ({@code <name>.manifest.json}). The manifest is what makes a backup part of a catalog:
 * it says which database the backup belongs to, where it stands in that database's
 * sequence of backups, and how to check it.
 * <p>
 * Format 2 (this one) added the format version, database id, sequence, trigger, schema
 * version and stored form; format 1 manifests of earlier releases are still read (as
 * scheduled backups, sequence 0, stored plain).
 *
 * @param formatVersion the manifest format, {@value #FORMAT_VERSION} when written now
 * @param name the backup's name
 * @param databaseId the id of the database it belongs to (its names' prefix)
 * @param sequence its place among the database's backups: each new backup's sequence is
 * higher than every earlier one's, whatever the clock says
 * @param trigger what started it
 * @param created when it was made, by the application's clock
 * @param source the database file that was backed up, or a description of an in-memory one
 * @param schema the schema that was backed up
 * @param journalMode the source's journal mode
 * @param pageSize the page size in bytes
 * @param pageCount the number of pages
 * @param bytes the size of the backup (a SQLite database file)
 * @param sha256 the SHA-256 of the backup, in hex
 * @param sqliteVersion the SQLite version that made the copy
 * @param verification how the copy was checked before publication
 * @param durationMillis how long copy and verification took
 * @param verificationMillis how long the verification took
 * @param steps the number of backup steps
 * @param restarts how often the copy restarted
 * @param changeSignature the source's change signature when the backup started, or
 * {@code null}
 * @param schemaVersion the schema version of the backup, or {@code null} in format 1
 * @param stored how the backup is stored
 */
public record BackupManifest(int formatVersion, String name, String databaseId, long sequence, BackupTrigger trigger,
		Instant created, String source, String schema, JournalMode journalMode, int pageSize, long pageCount,
		long bytes, String sha256, String sqliteVersion, Verification verification, long durationMillis,
		long verificationMillis, int steps, int restarts, @Nullable String changeSignature,
		@Nullable SchemaVersion schemaVersion, Stored stored) {

	/** The format version of manifests written by this release. */
	public static final int FORMAT_VERSION = 2;

	private static final JsonWriter<Map<String, Object>> JSON = JsonWriter.standard();

	/**
	 * Create the manifest of a new backup.
	 * @param name the backup's name
	 * @param identity the database it belongs to
	 * @param sequence its sequence number
	 * @param trigger what started it
	 * @param created when it was made
	 * @param result the backup's result
	 * @param sha256 the SHA-256 of the backup file
	 * @param changeSignature the source's change signature, or {@code null}
	 * @return the manifest
	 */
	public static BackupManifest of(String name, DatabaseIdentity identity, long sequence, BackupTrigger trigger,
			Instant created, BackupResult result, String sha256, @Nullable String changeSignature) {
		return new BackupManifest(FORMAT_VERSION, name, identity.id(), sequence, trigger, created, identity.source(),
				result.schema(), result.journalMode(), result.pageSize(), result.pages(), result.bytes(), sha256,
				result.sqliteVersion(), result.verification(), result.duration().toMillis(),
				result.verificationDuration().toMillis(), result.steps(), result.restarts(), changeSignature,
				result.schemaVersion(), Stored.plain(result.bytes(), sha256));
	}

	/**
	 * Return whether the backup was checked with {@code quick_check} or
	 * {@code integrity_check} before publication.
	 * @return {@code true} if verified
	 */
	public boolean verified() {
		return this.verification != Verification.NONE;
	}

	/**
	 * Return whether this is the safety backup of a restore.
	 * @return {@code true} for {@link BackupTrigger#RESTORE}
	 */
	public boolean isSafetyBackup() {
		return this.trigger == BackupTrigger.RESTORE;
	}

	/**
	 * Return whether the backup belongs to a database.
	 * @param identity the database
	 * @return {@code true} if id and source are the database's
	 */
	public boolean belongsTo(DatabaseIdentity identity) {
		return this.databaseId.equals(identity.id()) && this.source.equals(identity.source());
	}

	/**
	 * Return the identity of the database this backup belongs to.
	 * @return the identity
	 */
	public DatabaseIdentity identity() {
		return new DatabaseIdentity(this.databaseId, this.source);
	}

	/**
	 * Return the manifest of this backup stored elsewhere in another form.
	 * @param stored how it is stored there
	 * @param sequence its sequence number there
	 * @return the manifest, in the current format
	 */
	public BackupManifest storedAs(Stored stored, long sequence) {
		return new BackupManifest(FORMAT_VERSION, this.name, this.databaseId, sequence, this.trigger, this.created,
				this.source, this.schema, this.journalMode, this.pageSize, this.pageCount, this.bytes, this.sha256,
				this.sqliteVersion, this.verification, this.durationMillis, this.verificationMillis, this.steps,
				this.restarts, this.changeSignature, this.schemaVersion, stored);
	}

	/**
	 * Return this manifest as JSON, in the current format.
	 * @return the JSON text
	 */
	public String toJson() {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("formatVersion", this.formatVersion);
		json.put("name", this.name);
		json.put("databaseId", this.databaseId);
		json.put("sequence", this.sequence);
		json.put("trigger", this.trigger.name());
		json.put("created", this.created.toString());
		json.put("source", this.source);
		json.put("schema", this.schema);
		json.put("journalMode", this.journalMode.pragmaValue());
		json.put("pageSize", this.pageSize);
		json.put("pageCount", this.pageCount);
		json.put("bytes", this.bytes);
		json.put("sha256", this.sha256);
		json.put("sqliteVersion", this.sqliteVersion);
		json.put("verification", this.verification.label());
		json.put("durationMillis", this.durationMillis);
		json.put("verificationMillis", this.verificationMillis);
		json.put("steps", this.steps);
		json.put("restarts", this.restarts);
		if (this.changeSignature != null) {
			json.put("changeSignature", this.changeSignature);
		}
		if (this.schemaVersion != null) {
			Map<String, Object> schemaVersion = new LinkedHashMap<>();
			schemaVersion.put("userVersion", this.schemaVersion.userVersion());
			schemaVersion.put("fingerprint", this.schemaVersion.fingerprint());
			if (this.schemaVersion.migrations() != null) {
				schemaVersion.put("migrations", this.schemaVersion.migrations());
			}
			json.put("schemaVersion", schemaVersion);
		}
		Map<String, Object> stored = new LinkedHashMap<>();
		stored.put("codec", this.stored.codec());
		stored.put("bytes", this.stored.bytes());
		stored.put("sha256", this.stored.sha256());
		json.put("stored", stored);
		return JSON.writeToString(json) + "\n";
	}

	/**
	 * Read a manifest from JSON, in format 1 or 2.
	 * @param text the JSON text
	 * @return the manifest
	 * @throws IllegalArgumentException if the text is not a complete manifest of a known
	 * format
	 */
	public static BackupManifest fromJson(String text) {
		Fields json = new Fields(JsonParserFactory.getJsonParser().parseMap(text));
		int format = json.has("formatVersion") ? (int) json.number("formatVersion") : 1;
		if (format < 1 || format > FORMAT_VERSION) {
			throw new IllegalArgumentException("manifest format " + format + " is not known to this release (it reads "
					+ "formats 1 to " + FORMAT_VERSION + "); upgrade sqlite-backup to read it");
		}
		String name = json.string("name");
		long bytes = json.number("bytes");
		String sha256 = json.string("sha256");
		String databaseId = (format >= 2) ? json.string("databaseId") : BackupNames.prefixOf(name);
		if (databaseId == null) {
			throw new IllegalArgumentException("manifest names '" + name + "', which is not a backup name");
		}
		return new BackupManifest(format, name, databaseId, (format >= 2) ? json.number("sequence") : 0,
				(format >= 2) ? json.enumValue("trigger", BackupTrigger.class) : BackupTrigger.SCHEDULE,
				json.instant("created"), json.string("source"), json.string("schema"),
				JournalMode.fromPragma(json.string("journalMode")), (int) json.number("pageSize"),
				json.number("pageCount"), bytes, sha256, json.string("sqliteVersion"),
				json.enumValue("verification", Verification.class), json.number("durationMillis"),
				json.number("verificationMillis"), (int) json.number("steps"), (int) json.number("restarts"),
				json.optionalString("changeSignature"), (format >= 2) ? json.schemaVersion() : null,
				(format >= 2) ? json.stored() : Stored.plain(bytes, sha256));
	}

	/**
	 * How a backup is stored.
	 *
	 * @param codec {@code none} for the plain SQLite file
	 * @param bytes the stored object's size
	 * @param sha256 the stored object's SHA-256, in hex
	 */
	public record Stored(String codec, long bytes, String sha256) {

		/** The codec of a backup stored as the plain SQLite file. */
		public static final String PLAIN = "none";

		static Stored plain(long bytes, String sha256) {
			return new Stored(PLAIN, bytes, sha256);
		}

	}

	private record Fields(Map<String, Object> json) {

		boolean has(String key) {
			return this.json.containsKey(key);
		}

		String string(String key) {
			if (!(this.json.get(key) instanceof String value)) {
				throw new IllegalArgumentException("manifest has no text field '" + key + "'");
			}
			return value;
		}

		@Nullable String optionalString(String key) {
			return has(key) ? string(key) : null;
		}

		long number(String key) {
			if (!(this.json.get(key) instanceof Number value)) {
				throw new IllegalArgumentException("manifest has no number field '" + key + "'");
			}
			return value.longValue();
		}

		Instant instant(String key) {
			try {
				return Instant.parse(string(key));
			}
			catch (RuntimeException ex) {
				throw new IllegalArgumentException("manifest field '" + key + "' is not an instant: " + ex.getMessage());
			}
		}

		<E extends Enum<E>> E enumValue(String key, Class<E> type) {
			String value = string(key);
			for (E constant : type.getEnumConstants()) {
				if (constant.name().equalsIgnoreCase(value)) {
					return constant;
				}
			}
			throw new IllegalArgumentException("manifest field '" + key + "' has the unknown value '" + value + "'");
		}

		Fields object(String key) {
			if (!(this.json.get(key) instanceof Map<?, ?> value)) {
				throw new IllegalArgumentException("manifest has no object field '" + key + "'");
			}
			@SuppressWarnings("unchecked")
			Map<String, Object> fields = (Map<String, Object>) value;
			return new Fields(fields);
		}

		@Nullable SchemaVersion schemaVersion() {
			if (!has("schemaVersion")) {
				return null;
			}
			Fields version = object("schemaVersion");
			return new SchemaVersion(version.number("userVersion"), version.string("fingerprint"),
					version.optionalString("migrations"));
		}

		Stored stored() {
			Fields stored = object("stored");
			return new Stored(stored.string("codec"), stored.number("bytes"), stored.string("sha256"));
		}

	}

}

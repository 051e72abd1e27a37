package io.github.sqlitebackup.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import io.github.sqlitebackup.catalog.BackupCatalog;
import io.github.sqlitebackup.catalog.BackupCatalog.CommitOrder;
import io.github.sqlitebackup.catalog.DatabaseIdentity;
import io.github.sqlitebackup.offsite.AgeKeys;
import io.github.sqlitebackup.offsite.BackupDecoder;
import io.github.sqlitebackup.recovery.BackupLocation;
import io.github.sqlitebackup.storage.LocalDirectoryStorage;
import io.github.sqlitebackup.storage.s3.S3Location;
import io.github.sqlitebackup.storage.s3.S3Storage;

/**
 * Where the backups are (a directory or an {@code s3://bucket/prefix/} URL) and how to reach
 * and decrypt them; shared by every command.
 */
final class LocationOptions {

	/** The catalog's own database identity; the tool reads every database's backups. */
	private static final DatabaseIdentity READER = new DatabaseIdentity("sqlite-backup-cli", "(command-line tool)");

	@Parameters(index = "0", paramLabel = "LOCATION",
			description = "A backup directory, or the S3 URL of one database's backups "
					+ "(s3://bucket/prefix/<database id>/ for sqlite.backup.remote.url=s3://bucket/prefix).")
	String location;

	@Option(names = "--endpoint", paramLabel = "URL",
			description = "S3 API endpoint (MinIO, R2, Ceph...); AWS when not set.")
	@Nullable URI endpoint;

	@Option(names = "--region", paramLabel = "REGION", description = "S3 region; AWS_REGION or ~/.aws/config when not set, "
			+ "us-east-1 with --endpoint.")
	@Nullable String region;

	@Option(names = "--path-style", description = "Path-style S3 requests (most servers other than AWS).")
	boolean pathStyle;

	@Option(names = "--identity", paramLabel = "FILE",
			description = "age identity file to decrypt encrypted backups (repeatable). "
					+ "S3 credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or ~/.aws.")
	List<Path> identities = new ArrayList<>();

	/**
	 * Open the location: nothing is listed or read yet, and nothing is ever written there.
	 * @return the opened location, to close after use
	 */
	OpenedLocation open() {
		BackupDecoder decoder = new BackupDecoder(identities());
		if (this.location.startsWith("s3://")) {
			S3Location s3;
			try {
				s3 = S3Location.parse(this.location);
			}
			catch (IllegalArgumentException ex) {
				throw new CliException(ExitCode.USAGE, ex.getMessage());
			}
			S3Client client = client();
			S3Storage storage = new S3Storage(client, s3, S3Storage.MIN_PART_SIZE);
			return new OpenedLocation(new BackupLocation(new BackupCatalog(storage, READER, CommitOrder.MANIFEST_LAST),
					decoder), client);
		}
		if (this.location.contains("://")) {
			throw new CliException(ExitCode.USAGE, "'" + this.location + "' is neither a directory nor an s3:// URL");
		}
		Path directory = Path.of(this.location).toAbsolutePath().normalize();
		if (!Files.isDirectory(directory)) {
			throw new CliException(ExitCode.LOCATION_UNREADABLE, "No backup directory " + directory
					+ (Files.exists(directory) ? " (it is not a directory)" : " (it does not exist)"));
		}
		return new OpenedLocation(
				new BackupLocation(new BackupCatalog(new LocalDirectoryStorage(directory), READER), decoder), null);
	}

	/**
	 * Return the backup directory with its symbolic links resolved.
	 * @return the directory, or {@code null} for a bucket or a directory that does not exist
	 */
	@Nullable Path localDirectory() {
		if (this.location.contains("://")) {
			return null;
		}
		try {
			return Path.of(this.location).toRealPath();
		}
		catch (IOException ex) {
			return null;
		}
	}

	private List<String> identities() {
		List<String> identities = new ArrayList<>();
		for (Path file : this.identities) {
			try {
				identities.addAll(AgeKeys.readIdentities(file));
			}
			catch (IllegalArgumentException ex) {
				throw new CliException(ExitCode.USAGE, "--identity " + file + ": " + ex.getMessage());
			}
		}
		return identities;
	}

	private S3Client client() {
		S3ClientBuilder builder = S3Client.builder()
			.httpClient(Apache5HttpClient.create())
			.region(region())
			.forcePathStyle(this.pathStyle);
		if (this.endpoint != null) {
			if (!"http".equals(this.endpoint.getScheme()) && !"https".equals(this.endpoint.getScheme())) {
				throw new CliException(ExitCode.USAGE, "--endpoint must be an http:// or https:// URL: " + this.endpoint);
			}
			builder.endpointOverride(this.endpoint);
		}
		return builder.build();
	}

	private Region region() {
		if (this.region != null) {
			return Region.of(this.region);
		}
		if (this.endpoint != null) {
			return Region.US_EAST_1;
		}
		try {
			return new DefaultAwsRegionProviderChain().getRegion();
		}
		catch (SdkClientException ex) {
			throw new CliException(ExitCode.USAGE, "No S3 region: give --region, or set AWS_REGION");
		}
	}

}

package io.github.sqlitebackup.storage.s3;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * A bucket and a key prefix, written {@code s3://bucket/some/prefix}.
 *
 * @param bucket the bucket's name
 * @param prefix the prefix of every key: empty, or ending in {@code /}
 */
public record S3Location(String bucket, String prefix) {

	private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

	private static final Pattern PREFIX = Pattern.compile("([A-Za-z0-9_=-][A-Za-z0-9._=-]*/)*");

	/**
	 * Create a location.
	 * @param bucket the bucket's name
	 * @param prefix the prefix of every key: empty, or segments each ending in {@code /}
	 */
	public S3Location {
		if (!BUCKET.matcher(bucket).matches()) {
			throw new IllegalArgumentException("'" + bucket + "' is not a bucket name: 3 to 63 lower-case letters, "
					+ "digits, '.' or '-', starting and ending with a letter or digit");
		}
		if (!PREFIX.matcher(prefix).matches()) {
			throw new IllegalArgumentException("'" + prefix + "' is not a key prefix: path segments of letters, "
					+ "digits, '.', '_', '=' or '-', not starting with '.', separated by '/'");
		}
	}

	/**
	 * Parse an {@code s3://bucket/prefix} URL.
	 * @param url the URL
	 * @return the location
	 * @throws IllegalArgumentException if it is not one, with the reason
	 */
	public static S3Location parse(String url) {
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("'" + url + "' is not a URL: " + ex.getMessage());
		}
		if (!"s3".equals(uri.getScheme()) || uri.getRawAuthority() == null || uri.getRawQuery() != null
				|| uri.getRawFragment() != null || uri.getUserInfo() != null || uri.getPort() != -1) {
			throw new IllegalArgumentException("'" + url + "' is not an s3://bucket/prefix URL");
		}
		String path = uri.getPath();
		String prefix = path.replaceAll("^/+", "").replaceAll("/+$", "");
		return new S3Location(uri.getRawAuthority(), prefix.isEmpty() ? "" : prefix + "/");
	}

	/**
	 * Return the location of a segment under this one.
	 * @param segment the segment, e.g. a database id
	 * @return {@code s3://bucket/prefix/segment/}
	 */
	public S3Location resolve(String segment) {
		return new S3Location(this.bucket, this.prefix + segment + "/");
	}

	@Override
	public String toString() {
		return "s3://" + this.bucket + "/" + this.prefix;
	}

}

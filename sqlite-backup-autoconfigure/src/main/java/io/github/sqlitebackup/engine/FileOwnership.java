package io.github.sqlitebackup.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Gives a file that replaces another the replaced file's permissions, owner and group, so
 * that a database restored by an operator (often as root) stays readable and writable by the
 * application that owned the old one.
 */
final class FileOwnership {

	private static final Log logger = LogFactory.getLog(FileOwnership.class);

	private FileOwnership() {
	}

	/**
	 * Copy the permissions, then the owner and group (only a privileged user may change
	 * them; otherwise they stay the current user's, and a warning says so).
	 * @param from the file being replaced
	 * @param to its replacement
	 */
	static void copy(Path from, Path to) {
		PosixFileAttributeView target = Files.getFileAttributeView(to, PosixFileAttributeView.class);
		if (target == null) {
			return;
		}
		PosixFileAttributes attributes;
		try {
			attributes = Files.readAttributes(from, PosixFileAttributes.class);
			target.setPermissions(attributes.permissions());
		}
		catch (IOException ex) {
			logger.warn("Could not give the restored file the permissions of " + from + ": " + ex);
			return;
		}
		try {
			PosixFileAttributes current = target.readAttributes();
			if (!current.owner().equals(attributes.owner())) {
				target.setOwner(attributes.owner());
			}
			if (!current.group().equals(attributes.group())) {
				target.setGroup(attributes.group());
			}
		}
		catch (IOException ex) {
			logger.warn("The restored " + from + " belongs to " + System.getProperty("user.name") + ", not to "
					+ attributes.owner().getName() + ":" + attributes.group().getName() + " as the file it replaced ("
					+ ex.getMessage() + "); give it back with chown if the application runs as that user.");
		}
	}

}

package io.github.sqlitebackup.cli;

import picocli.CommandLine.IVersionProvider;

/** The tool's version: the version of its jar. */
final class Version implements IVersionProvider {

	@Override
	public String[] getVersion() {
		String version = Version.class.getPackage().getImplementationVersion();
		return new String[] { "sqlite-backup " + ((version != null) ? version : "(development build)") };
	}

}

package io.github.sqlitebackup.offsite;

import org.springframework.context.ApplicationEvent;

/**
 * An upload attempt of a database's off-site copies; the source is the database id.
 */
public abstract class OffsiteEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an event.
	 * @param databaseId the database's id
	 */
	protected OffsiteEvent(String databaseId) {
		super(databaseId);
	}

	/**
	 * Return the id of the database whose backup it was.
	 * @return the database id
	 */
	public String getDatabaseId() {
		return (String) getSource();
	}

}

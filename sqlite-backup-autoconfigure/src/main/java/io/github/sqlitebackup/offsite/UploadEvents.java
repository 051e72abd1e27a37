package io.github.sqlitebackup.offsite;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes every upload attempt as an {@link OffsiteEvent}; a listener that fails is
 * logged and does not stop the upload queue.
 */
public final class UploadEvents implements UploadListener {

	private static final Log logger = LogFactory.getLog(UploadEvents.class);

	private final String databaseId;

	private final ApplicationEventPublisher publisher;

	/**
	 * Create the publisher of a database's upload events.
	 * @param databaseId the database's id
	 * @param publisher where events are published
	 */
	public UploadEvents(String databaseId, ApplicationEventPublisher publisher) {
		this.databaseId = databaseId;
		this.publisher = publisher;
	}

	@Override
	public void uploaded(Upload upload) {
		publish(new BackupUploadedEvent(this.databaseId, upload));
	}

	@Override
	public void failed(UploadFailure failure) {
		publish(new BackupUploadFailedEvent(this.databaseId, failure));
	}

	private void publish(OffsiteEvent event) {
		try {
			this.publisher.publishEvent(event);
		}
		catch (RuntimeException ex) {
			logger.warn("A listener of " + event.getClass().getSimpleName() + " failed: " + ex, ex);
		}
	}

}

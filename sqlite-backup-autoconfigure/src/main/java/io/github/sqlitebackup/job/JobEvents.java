package io.github.sqlitebackup.job;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes the job's events so that listeners cannot change what happened: a listener
 * that throws is logged, and the run's outcome, status and meters stand.
 */
final class JobEvents {

	private static final Log logger = LogFactory.getLog(JobEvents.class);

	private final ApplicationEventPublisher publisher;

	JobEvents(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	void publish(BackupEvent event) {
		try {
			this.publisher.publishEvent(event);
		}
		catch (RuntimeException ex) {
			logger.error("A listener of " + event.getClass().getSimpleName() + " threw " + ex
					+ "; the backup job's outcome is not affected.", ex);
		}
	}

}

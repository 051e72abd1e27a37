package io.github.sqlitebackup.actuate;

import java.util.Map;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * What {@code GET /actuator/sqlitebackup} answers: each database's state, schedule and
 * catalog, by database id, the primary database first.
 *
 * @param databases the databases
 */
public record DatabasesDescriptor(Map<String, BackupsDescriptor> databases) implements OperationResponseBody {

}

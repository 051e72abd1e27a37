/**
 * Actuator integration: the {@code sqlitebackup} endpoint, the {@code sqliteBackup}
 * health indicator and the {@code sqlite.backup.*} Micrometer meters.
 */
@NullMarked
package io.github.sqlitebackup.actuate;

import org.jspecify.annotations.NullMarked;

/**
 * Spring Boot auto-configuration of sqlite-backup.
 */
@NullMarked
package io.github.sqlitebackup.autoconfigure;

import org.jspecify.annotations.NullMarked;

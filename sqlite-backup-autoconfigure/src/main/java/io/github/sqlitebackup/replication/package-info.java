/**
 * Continuous replication: committed transactions read from a database's write-ahead log
 * and shipped as immutable segments, snapshots that start a generation, and restores to the
 * latest position or a point in time. Internal API: it may change in any release.
 */
@NullMarked
package io.github.sqlitebackup.replication;

import org.jspecify.annotations.NullMarked;

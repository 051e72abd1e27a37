/**
 * Benchmarks of sqlite-backup against the tools users know; run with {@code bench/run.sh}.
 */
package io.github.sqlitebackup.benchmarks;

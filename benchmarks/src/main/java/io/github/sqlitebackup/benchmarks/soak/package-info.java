/**
 * The long soak run ({@code bench/soak.sh}): the sample app backing up every few seconds
 * under a steady write load, watched for file descriptor, thread and memory growth.
 */
package io.github.sqlitebackup.benchmarks.soak;

#!/usr/bin/env bash
# The long soak of README.md ("Reliability"): the sample app backs up every 3 s for 30 minutes
# under 50 note writes per second; fails on any failed or damaged backup, write error, ERROR
# log line, unclean shutdown, or growth of file descriptors, threads or heap after GC.
#   bench/soak.sh                 30 minutes
#   bench/soak.sh --minutes=2     a short run
# More options: --backup-interval=3000 (ms) --writes-per-second=50 --work=DIR. Needs sqlite3.
# Writes target/soak/soak.md and soak.csv.
exec "$(dirname "$0")/run-main.sh" io.github.sqlitebackup.benchmarks.soak.Soak "$@"

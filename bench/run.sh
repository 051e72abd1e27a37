#!/usr/bin/env bash
# Reproduces the benchmark tables of README.md ("Performance") on this machine:
#   bench/run.sh            64 MiB, 512 MiB and 2 GiB databases, 5 runs each (about 15 minutes)
#   bench/run.sh --quick    16 MiB, for a smoke test (CI runs this as a test)
# More options: --sizes=64,512 --runs=7 --work=DIR --out=DIR. Needs sqlite3 and python3.
# Writes target/benchmark/benchmark.md and benchmark.csv.
exec "$(dirname "$0")/run-main.sh" io.github.sqlitebackup.benchmarks.BackupBenchmark "$@"

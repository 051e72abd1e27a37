#!/usr/bin/env bash
# Reproduces the benchmark tables of README.md ("Performance") on this machine:
#   bench/run.sh            64 MiB, 512 MiB and 2 GiB databases, 5 runs each (about 15 minutes)
#   bench/run.sh --quick    16 MiB, for a smoke test (CI runs this as a test)
# More options: --sizes=64,512 --runs=7 --work=DIR --out=DIR. Needs sqlite3 and python3.
# Writes target/benchmark/benchmark.md and benchmark.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -DskipTests -pl benchmarks,sample-app -am package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
exec java --enable-native-access=ALL-UNNAMED \
  -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  io.github.sqlitebackup.benchmarks.BackupBenchmark \
  --sample-jar=sample-app/target/sample-app-0.1.0-SNAPSHOT.jar "$@"

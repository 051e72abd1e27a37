#!/usr/bin/env bash
# The long soak of README.md ("Reliability"): the sample app backs up every 3 s for 30 minutes
# under 50 note writes per second; fails on any failed or damaged backup, write error, ERROR
# log line, unclean shutdown, or growth of file descriptors, threads or heap after GC.
#   bench/soak.sh                 30 minutes
#   bench/soak.sh --minutes=2     a short run
# More options: --backup-interval=3000 (ms) --writes-per-second=50 --work=DIR. Needs sqlite3.
# Writes target/soak/soak.md and soak.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -DskipTests -pl benchmarks,sample-app -am package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
exec java --enable-native-access=ALL-UNNAMED \
  -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  io.github.sqlitebackup.benchmarks.soak.Soak \
  --sample-jar=sample-app/target/sample-app-0.1.0-SNAPSHOT.jar "$@"

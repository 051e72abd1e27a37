#!/usr/bin/env bash
# Builds the benchmarks module and the sample app, then runs a main class of the benchmarks
# module with the sample app's jar: bench/run-main.sh CLASS [OPTIONS...]
set -euo pipefail
cd "$(dirname "$0")/.."
main="$1"
shift
./mvnw -q -DskipTests -pl benchmarks,sample-app -am package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
exec java --enable-native-access=ALL-UNNAMED \
  -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  "$main" --sample-jar=sample-app/target/sample-app-0.1.0-SNAPSHOT.jar "$@"

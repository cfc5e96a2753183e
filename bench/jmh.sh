#!/usr/bin/env bash
# JMH micro-benchmarks of the hot path's decisions (ns per operation):
#   AclBench       the seed ACL, and 100 use_backend rules where only the last matches
#   BalancerBench  pick + release a server, per balance algorithm, 10 servers
#
#   bench/jmh.sh                 # all
#   bench/jmh.sh AclBench        # one class (any JMH regex and options work)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile
./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >/dev/null
exec java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" org.openjdk.jmh.Main "${@:-io.haquark}"

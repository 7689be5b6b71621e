#!/usr/bin/env bash
# CPU an agent spends running 2,000 HTTP checks at a 1 s interval against a local HTTP server, against
# the same agent idle (no checks) measured in the same run.
#
#   bench/checks.sh [seconds to measure (default 30)] [checks (default 2000)]
#
# The target is bench/target/HttpTarget.java (the JDK's HTTP server answering 200 "ok") on 127.0.0.1;
# its CPU is reported too. CPU is read from /proc/<pid>/stat (utime+stime) over the measuring window,
# after every check has passed once.
set -euo pipefail
cd "$(dirname "$0")/.."
WINDOW=${1:-30}
CHECKS=${2:-2000}
HTTP_PORT=18520
TARGET_PORT=18521
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
[ -x distribution/target/conclave/bin/conclave ] || mvn -B -q -DskipTests install
now_ms() { date +%s%3N; }
wait_until() { local deadline=$(( $(now_ms) + 120000 )); until "$@" >/dev/null 2>&1; do (( $(now_ms) < deadline )) || { echo "timed out: $*" >&2; exit 1; }; sleep 0.2; done; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)
cpu_percent() { # pid seconds
  local t0 t1; t0=$(ticks "$1"); sleep "$2"; t1=$(ticks "$1")
  awk -v d=$((t1 - t0)) -v hz="$HZ" -v s="$2" 'BEGIN { printf "%.1f", 100 * d / hz / s }'
}

java bench/target/HttpTarget.java $TARGET_PORT >/dev/null 2>&1 &
TARGET=$!; PIDS+=("$TARGET")
wait_until curl -fs "http://127.0.0.1:$TARGET_PORT/"
distribution/target/conclave/bin/conclave agent -dev -node=bench -http-port=$HTTP_PORT -dns-port=-1 -log-level=warn >"$WORK/agent.log" 2>&1 &
AGENT=$!; PIDS+=("$AGENT")
wait_until curl -fs "http://127.0.0.1:$HTTP_PORT/v1/status/leader"
sleep 5 # settle after start-up (a measurement, not a test)
IDLE=$(cpu_percent "$AGENT" "$WINDOW")

for i in $(seq 1 "$CHECKS"); do
  printf '{"Name":"c%d","Port":%d,"Check":{"HTTP":"http://127.0.0.1:%d/","Interval":"1s"}}' "$i" "$i" "$TARGET_PORT" \
    | curl -fs -X PUT --data-binary @- "http://127.0.0.1:$HTTP_PORT/v1/agent/service/register" >/dev/null
done
passing() { [ "$(curl -fs "http://127.0.0.1:$HTTP_PORT/v1/health/state/passing" | grep -o '"service:c' | wc -l)" -ge "$CHECKS" ]; }
wait_until passing
T0=$(ticks "$TARGET")
BUSY=$(cpu_percent "$AGENT" "$WINDOW")
TARGET_CPU=$(awk -v d=$(( $(ticks "$TARGET") - T0 )) -v hz="$HZ" -v s="$WINDOW" 'BEGIN { printf "%.1f", 100 * d / hz / s }')
RSS=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$AGENT/status)
printf 'agent CPU idle: %s%% of one core\nagent CPU with %d HTTP checks at 1 s: %s%% of one core\nratio busy/idle: %s\nRSS with checks: %s MiB\ntarget server CPU meanwhile (reference): %s%% of one core\n' \
  "$IDLE" "$CHECKS" "$BUSY" "$(awk -v b="$BUSY" -v i="$IDLE" 'BEGIN { if (i > 0) printf "%.1f", b / i; else print "n/a" }')" "$RSS" "$TARGET_CPU"

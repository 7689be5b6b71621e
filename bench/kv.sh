#!/usr/bin/env bash
# KV throughput and latency of a dev agent, with etcd 3.4 (Debian's etcd-server) measured in the same
# run under the same load as the reference. Also: time from process start to the first answer of
# /v1/status/leader, and the agent's idle RSS.
#
#   bench/kv.sh [duration (default 10s)]
#
# Load: wrk, 2 threads, 16 and 64 connections, 256-byte values over 1,000 keys. Everything binds to
# 127.0.0.1. Installs wrk and etcd-server from Debian when missing (as root).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10s}
HTTP_PORT=${CONCLAVE_BENCH_PORT:-18500}
ETCD_PORT=12379
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

install_missing() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v etcd >/dev/null || missing+=(etcd-server)
  if ((${#missing[@]})); then
    [ "$(id -u)" -eq 0 ] || { echo "need Debian packages: ${missing[*]}" >&2; exit 1; }
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}
install_missing
[ -x distribution/target/conclave/bin/conclave ] || mvn -B -q -DskipTests install

now_ms() { date +%s%3N; }
wait_http() { # url, bound in seconds
  local deadline=$(( $(now_ms) + $2 * 1000 ))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    (( $(now_ms) < deadline )) || { echo "timed out waiting for $1" >&2; exit 1; }
    sleep 0.005
  done
}

# wrk's summary → "req/s p50 p99" (latencies in ms)
run_wrk() { # label conns script url
  local out
  out=$(wrk -t2 -c"$2" -d"$DURATION" --latency -s "bench/wrk/$3" "$4")
  local rps p50 p99 errs
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errs=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$rps" "$(to_ms "$p50")" "$(to_ms "$p99")" "${errs:-}"
}
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }

echo "== Conclave dev agent"
start=$(now_ms)
distribution/target/conclave/bin/conclave agent -dev -node=bench -http-port="$HTTP_PORT" -log-level=warn >"$WORK/agent.log" 2>&1 &
AGENT=$!; PIDS+=("$AGENT")
wait_http "http://127.0.0.1:$HTTP_PORT/v1/status/leader" 60
ready=$(( $(now_ms) - start ))
echo "start to first /v1/status/leader answer: ${ready} ms"
sleep 5 # let start-up settle before reading idle memory (a measurement, not a test)
rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$AGENT/status)
echo "idle RSS: $((rss_kb / 1024)) MiB"

RESULTS="$WORK/results.tsv"
warm_up() { wrk -t2 -c16 -d"${WARMUP:-5s}" -s "bench/wrk/$1" "$2" >/dev/null; } # JIT and caches, not measured
warm_up conclave-put.lua "http://127.0.0.1:$HTTP_PORT"
warm_up conclave-get.lua "http://127.0.0.1:$HTTP_PORT"
for c in 16 64; do
  run_wrk conclave-put "$c" conclave-put.lua "http://127.0.0.1:$HTTP_PORT" >>"$RESULTS"
  run_wrk conclave-get "$c" conclave-get.lua "http://127.0.0.1:$HTTP_PORT" >>"$RESULTS"
done
kill "$AGENT"; wait "$AGENT" 2>/dev/null || true

echo "== etcd $(etcd --version | awk '/etcd Version/ {print $3}') (reference, single member, fsync on)"
etcd --name bench --data-dir "$WORK/etcd" --listen-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" --listen-peer-urls http://127.0.0.1:12380 \
  --initial-advertise-peer-urls http://127.0.0.1:12380 --initial-cluster bench=http://127.0.0.1:12380 \
  --log-level error >"$WORK/etcd.log" 2>&1 &
PIDS+=("$!")
wait_http "http://127.0.0.1:$ETCD_PORT/health" 60
warm_up etcd-put.lua "http://127.0.0.1:$ETCD_PORT"
warm_up etcd-get.lua "http://127.0.0.1:$ETCD_PORT"
for c in 16 64; do
  run_wrk etcd-put "$c" etcd-put.lua "http://127.0.0.1:$ETCD_PORT" >>"$RESULTS"
  run_wrk etcd-get "$c" etcd-get.lua "http://127.0.0.1:$ETCD_PORT" >>"$RESULTS"
done

echo
printf 'load\tconns\treq/s\tp50 ms\tp99 ms\terrors\n'
cat "$RESULTS"
echo
echo "ratios (Conclave / etcd, req/s):"
awk -F'\t' '{ split($1, a, "-"); key = a[2] "\t" $2; if (a[1] == "conclave") c[key] = $3; else e[key] = $3 }
  END { for (k in c) if (e[k] > 0) printf "  %s\t%.2f\n", k, c[k] / e[k] }' "$RESULTS" | sort

#!/usr/bin/env bash
# Failure detection and gossip traffic of a 5-node LAN pool: stock serf (Debian's serf 0.9.4) as the
# reference and Conclave agents, measured in the same run the same way.
#
#   bench/gossip.sh [rounds (default 3)] [traffic window seconds (default 20)]
#
# Per system: 5 members on their own loopback addresses (serf 127.0.0.51-55, Conclave 127.0.0.61-65: one
# server and four clients), all joined. Traffic: bytes sent on the loopback interface during a quiet window
# (nothing else polls then), divided by members and seconds; IP/UDP/TCP headers included, and for Conclave
# also its clients' RPC to the server (anti-entropy), so the figure is an upper bound for its gossip.
# Detection: kill -9 one member, then poll every survivor until all report it failed; the time from the kill
# to the last survivor's report. Rounds repeat kill-and-detect on a fresh cluster. Installs serf when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
WINDOW=${2:-20}
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

if ! command -v serf >/dev/null; then
  [ "$(id -u)" -eq 0 ] || { echo "need the Debian package serf" >&2; exit 1; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq serf >/dev/null
fi
[ -x distribution/target/conclave/bin/conclave ] || mvn -B -q -DskipTests install
CONCLAVE=distribution/target/conclave/bin/conclave

now_ms() { date +%s%3N; }
wait_until() { # seconds command...
  local deadline=$(( $(now_ms) + $1 * 1000 )); shift
  until "$@" >/dev/null 2>&1; do (( $(now_ms) < deadline )) || { echo "timed out: $*" >&2; return 1; }; sleep 0.1; done
}
lo_bytes() { cat /sys/class/net/lo/statistics/tx_bytes; }
stop_all() { for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; PIDS=(); }

# ---- serf ----
SERF_PIDS=()
serf_start() { # round
  SERF_PIDS=()
  for i in 1 2 3 4 5; do
    local join=(); (( i > 1 )) && join=(-join=127.0.0.51:7946)
    serf agent -node="serf-$i" -bind="127.0.0.5$i:7946" -rpc-addr="127.0.0.5$i:7373" "${join[@]}" \
      >"$WORK/serf-$1-$i.log" 2>&1 &
    PIDS+=("$!"); SERF_PIDS+=("$!")
    wait_until 20 serf members -rpc-addr="127.0.0.5$i:7373"
  done
  for i in 1 2 3 4 5; do wait_until 30 serf_sees "$i" 5 alive; done
}
serf_sees() { # member-index count status
  [ "$(serf members -rpc-addr="127.0.0.5$1:7373" -status="$3" | wc -l)" -ge "$2" ]
}
serf_failed() { # survivor victim-name
  serf members -rpc-addr="127.0.0.5$1:7373" -status=failed | grep -q "^$2 "
}

# ---- conclave ----
CONCLAVE_PIDS=()
conclave_start() { # round
  CONCLAVE_PIDS=()
  for i in 1 2 3 4 5; do
    local args=(-data-dir="$WORK/c-$1-$i" -node="conclave-$i" -bind="127.0.0.6$i" -client="127.0.0.6$i" -log-level=warn)
    if (( i == 1 )); then args+=(-server -bootstrap-expect=1); else args+=(-retry-join=127.0.0.61 -retry-interval=1s); fi
    "$CONCLAVE" agent "${args[@]}" >"$WORK/conclave-$1-$i.log" 2>&1 &
    PIDS+=("$!"); CONCLAVE_PIDS+=("$!")
  done
  for i in 1 2 3 4 5; do wait_until 90 conclave_sees "$i" 5 1; done
}
conclave_members() { curl -fs --max-time 5 "http://127.0.0.6$1:8500/v1/agent/members"; }
conclave_sees() { # member-index count status-code
  [ "$(conclave_members "$1" | grep -o "\"Status\":$3" | wc -l)" -ge "$2" ]
}
conclave_failed() { # survivor victim-name
  conclave_members "$1" | grep -Eq "\"Name\":\"$2\",\"Addr\":\"[^\"]*\",\"Port\":[0-9]+,\"Tags\":\{[^}]*\},\"Status\":4"
}

# ---- measurement ----
traffic() { # -> bytes/s/node over WINDOW
  local b0 b1; b0=$(lo_bytes); sleep "$WINDOW"; b1=$(lo_bytes)
  echo $(( (b1 - b0) / WINDOW / 5 ))
}
detect() { # kind pid victim-name -> ms until every survivor reports the victim failed
  local kind=$1 pid=$2 victim=$3 t0 i
  kill -9 "$pid"; t0=$(now_ms)
  for i in 1 2 3 4; do wait_until 60 "${kind}_failed" "$i" "$victim" || return 1; done
  echo $(( $(now_ms) - t0 ))
}

declare -a SERF_MS CONCLAVE_MS
SERF_BPS=0; CONCLAVE_BPS=0
for r in $(seq 1 "$ROUNDS"); do
  serf_start "$r"
  (( r == 1 )) && SERF_BPS=$(traffic)
  SERF_MS+=("$(detect serf "${SERF_PIDS[4]}" serf-5)")
  stop_all
  conclave_start "$r"
  (( r == 1 )) && CONCLAVE_BPS=$(traffic)
  CONCLAVE_MS+=("$(detect conclave "${CONCLAVE_PIDS[4]}" conclave-5)")
  stop_all
done

printf 'system\tdetection ms (per round)\tmean ms\tbytes/s/node\n'
mean() { local s=0 n=0 v; for v in "$@"; do s=$((s + v)); n=$((n + 1)); done; echo $((s / n)); }
SM=$(mean "${SERF_MS[@]}"); CM=$(mean "${CONCLAVE_MS[@]}")
printf 'serf 0.9.4\t%s\t%s\t%s\n' "${SERF_MS[*]}" "$SM" "$SERF_BPS"
printf 'conclave\t%s\t%s\t%s\n' "${CONCLAVE_MS[*]}" "$CM" "$CONCLAVE_BPS"
awk -v sm="$SM" -v cm="$CM" -v sb="$SERF_BPS" -v cb="$CONCLAVE_BPS" \
  'BEGIN { printf "ratio conclave/serf\t\t%.2f\t%.2f\n", cm / sm, cb / sb }'

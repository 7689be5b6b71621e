#!/usr/bin/env bash
# DNS queries per second of a dev agent for A and SRV service lookups, with dnsmasq (Debian) answering
# an equivalent A record from its own table in the same run as the reference.
#
#   bench/dns.sh [seconds per run (default 10)]
#
# Load: dnsperf, 2 client threads, 64 outstanding queries, over UDP on 127.0.0.1. The agent serves a
# service "web" with 3 instances (registered through the catalog API). Installs dnsperf and
# dnsmasq-base from Debian when missing (as root).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-10}
HTTP_PORT=18510
DNS_PORT=18610
DNSMASQ_PORT=18611
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

missing=()
command -v dnsperf >/dev/null || missing+=(dnsperf)
command -v dnsmasq >/dev/null || missing+=(dnsmasq-base)
if ((${#missing[@]})); then
  [ "$(id -u)" -eq 0 ] || { echo "need Debian packages: ${missing[*]}" >&2; exit 1; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
[ -x distribution/target/conclave/bin/conclave ] || mvn -B -q -DskipTests install

now_ms() { date +%s%3N; }
wait_until() { local deadline=$(( $(now_ms) + 60000 )); until "$@" >/dev/null 2>&1; do (( $(now_ms) < deadline )) || { echo "timed out: $*" >&2; exit 1; }; sleep 0.05; done; }

distribution/target/conclave/bin/conclave agent -dev -node=bench -http-port=$HTTP_PORT -dns-port=$DNS_PORT -log-level=warn >"$WORK/agent.log" 2>&1 &
PIDS+=("$!")
wait_until curl -fs "http://127.0.0.1:$HTTP_PORT/v1/status/leader"
for i in 1 2 3; do
  curl -fs -X PUT "http://127.0.0.1:$HTTP_PORT/v1/catalog/register" -d "{\"Node\":\"web-$i\",\"Address\":\"10.0.0.$i\",\"Service\":{\"Service\":\"web\",\"Port\":8080}}" >/dev/null
done
wait_until dig @127.0.0.1 -p $DNS_PORT +short web.service.consul

printf 'web-1.example. A\n' > "$WORK/ref.txt"
printf 'web.service.consul. A\n' > "$WORK/a.txt"
printf 'web.service.consul. SRV\n' > "$WORK/srv.txt"
printf '10.0.0.1 web-1.example\n' > "$WORK/hosts"
dnsmasq --keep-in-foreground --no-resolv --no-hosts --addn-hosts="$WORK/hosts" --listen-address=127.0.0.1 \
  --bind-interfaces --port=$DNSMASQ_PORT --cache-size=1000 --pid-file="$WORK/dnsmasq.pid" --user=root 2>"$WORK/dnsmasq.log" &
PIDS+=("$!")
wait_until dig @127.0.0.1 -p $DNSMASQ_PORT +short web-1.example

qps() { # port file
  dnsperf -s 127.0.0.1 -p "$1" -d "$2" -l "$SECONDS_PER_RUN" -c 2 -T 2 -q 64 2>/dev/null \
    | awk '/Queries per second/ {print $4}'
}
dnsperf -s 127.0.0.1 -p $DNS_PORT -d "$WORK/a.txt" -l 3 -q 64 >/dev/null 2>&1 || true # warm-up
A=$(qps $DNS_PORT "$WORK/a.txt")
SRV=$(qps $DNS_PORT "$WORK/srv.txt")
REF=$(qps $DNSMASQ_PORT "$WORK/ref.txt")
printf 'load\tqueries/s\tratio to dnsmasq A\n'
awk -v a="$A" -v s="$SRV" -v r="$REF" 'BEGIN {
  printf "conclave A (3 instances)\t%.0f\t%.2f\n", a, a / r
  printf "conclave SRV (3 instances)\t%.0f\t%.2f\n", s, s / r
  printf "dnsmasq A (reference)\t%.0f\t1.00\n", r }'

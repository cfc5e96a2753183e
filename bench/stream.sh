#!/usr/bin/env bash
# A large body through the proxy with its memory watched: nginx serves a sparse file (no disk
# used) of SIZE bytes, curl downloads it through haquark (and HAProxy when installed) to
# /dev/null, and the proxy's RSS is sampled every second (a warm-up pass of 1 GiB
# comes first, so the figures show the steady state, not the first JIT compilations).
#
#   bench/stream.sh                 # 10 GiB download
#   SIZE=1G bench/stream.sh
#
# Prints bytes, seconds, MB/s, RSS before / max during / after (KiB) per proxy.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
SIZE="${SIZE:-10G}"
BASE="${BASE:-23600}"
HAPROXY="$(command -v haproxy || true)"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
jar="$here/target/quarkus-app/quarkus-run.jar"
if [ ! -f "$jar" ] || [ -n "$(cd "$here" && find src pom.xml -newer "$jar" -print -quit)" ]; then
  (cd "$here" && ./mvnw -B -q package -DskipTests)
fi
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/www"
truncate -s "$SIZE" "$work/www/big.bin"
cat > "$work/nginx.conf" <<NGX
daemon off; master_process off; worker_processes 1; pid $work/nginx.pid; error_log $work/nginx.err;
events { worker_connections 64; }
http { access_log off; sendfile on; server { listen 127.0.0.1:$((BASE+1)); root $work/www; } }
NGX
"$NGINX" -c "$work/nginx.conf" & pids+=($!)
rss_of() { awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
wait_url() { for _ in $(seq 1 300); do curl -s -o /dev/null -r 0-0 "$1" && return 0; sleep 0.1; done; echo "nothing answers on $1"; exit 1; }
wait_url "http://127.0.0.1:$((BASE+1))/big.bin"

cfg() { cat <<CFG
global
  maxconn 100
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
frontend f
  bind 127.0.0.1:$1
  default_backend b
backend b
  server s1 127.0.0.1:$((BASE+1))
CFG
}

run() { # $1 name, $2 command...
  local name=$1 port=$2; shift 2
  cfg "$port" > "$work/$name.cfg"
  "$@" -db -f "$work/$name.cfg" >"$work/$name.log" 2>&1 & local pid=$!; pids+=($pid)
  wait_url "http://127.0.0.1:$port/big.bin"
  curl -s -o /dev/null -r 0-1073741823 "http://127.0.0.1:$port/big.bin"   # warm-up: the first GiB
  local before; before=$(rss_of "$pid")
  local max=$before start end
  start=$(date +%s.%N)
  curl -s -o /dev/null -w '%{size_download}\n' "http://127.0.0.1:$port/big.bin" > "$work/$name.size" &
  local curl_pid=$!
  : > "$work/$name.rss"
  while kill -0 "$curl_pid" 2>/dev/null; do
    local r; r=$(rss_of "$pid"); [ "$r" -gt "$max" ] && max=$r
    echo "$r" >> "$work/$name.rss"
    sleep 1
  done
  # RSS at a quarter, half and three quarters of the transfer: flat means these stay put.
  local q; q=$(awk '{a[NR]=$1} END {n=NR; if (n==0) {print "-"; exit} printf "%d / %d / %d", a[int(n/4)+1], a[int(n/2)+1], a[int(3*n/4)+1]}' "$work/$name.rss")
  wait "$curl_pid"
  end=$(date +%s.%N)
  local after; after=$(rss_of "$pid")
  local bytes; bytes=$(cat "$work/$name.size")
  awk -v n="$name" -v b="$bytes" -v s="$start" -v e="$end" -v r0="$before" -v rm="$max" -v r1="$after" -v q="$q" \
    'BEGIN { t = e - s; printf "| %s | %.0f | %.1f | %.0f | %d | %s | %d | %d |\n", n, b, t, b / t / 1e6, r0, q, rm, r1 }'
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

echo "| proxy | bytes | seconds | MB/s | RSS before (KiB) | RSS at 1/4, 1/2, 3/4 (KiB) | RSS max during (KiB) | RSS after (KiB) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
[ -n "$HAPROXY" ] && run haproxy $((BASE+10)) "$HAPROXY"
run haquark $((BASE+11)) "$here/bin/haquark"

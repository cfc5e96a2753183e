#!/usr/bin/env bash
# Soak: bounded mixed load through haquark while servers fail and come back, reported per slice.
#
#   bench/soak.sh                      # 10 minutes: 20 slices of 30 s
#   SLICES=4 SLICE=15 bench/soak.sh    # a 1-minute smoke run
#
# Four nginx processes (one per server: static1/2, dynamic1/2) behind the seed config with
# "check inter 500 fall 2 rise 2", "retries 3" and "option redispatch 1" (every retry goes to
# another server, so no request waits out 1 s turn-arounds on a dead one). Every other slice one
# server is stopped for the slice and started again. wrk (-t1, 50 connections, keep-alive) sends a
# mix of .html/.css/.php paths. Per slice: requests, req/s, p99, socket errors by kind, non-2xx;
# at start and end: RSS and open fds of the proxy. Loopback only; everything stops on exit.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
SLICES="${SLICES:-20}"
SLICE="${SLICE:-30}"
BASE="${BASE:-23500}"
for tool in wrk nginx; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || { echo "soak: $tool is not installed"; exit 2; }
done
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
jar="$here/target/quarkus-app/quarkus-run.jar"
if [ ! -f "$jar" ] || [ -n "$(cd "$here" && find src pom.xml -newer "$jar" -print -quit)" ]; then
  (cd "$here" && ./mvnw -B -q package -DskipTests)   # missing or older than the sources
fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
work="$(mktemp -d)"
declare -A npid
pids=()
cleanup() { for p in "${pids[@]}" "${npid[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

mkdir -p "$work/www"
printf '<html><body>soak</body></html>\n' > "$work/www/index.html"
head -c 1024 /dev/zero | tr '\0' 'c' > "$work/www/style.css"
start_nginx() { # $1 = index 1..4
  local port=$((BASE + $1))
  cat > "$work/nginx$1.conf" <<NGX
daemon off; master_process off; worker_processes 1; pid $work/nginx$1.pid; error_log $work/nginx$1.err;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000;
  server { listen 127.0.0.1:$port; root $work/www; location ~ \.php\$ { return 200 "dyn\n"; } } }
NGX
  "$NGINX" -c "$work/nginx$1.conf" & npid[$1]=$!
}
for i in 1 2 3 4; do start_nginx "$i"; done
cat > "$work/soak.cfg" <<CFG
global
    maxconn 4000
defaults
    mode http
    option http-keep-alive
    option redispatch 1
    retries 3
    timeout connect 1s
    timeout client 10s
    timeout server 10s
frontend main
    bind 127.0.0.1:$((BASE + 10))
    acl url_static path_end -i .css .js .html
    use_backend static if url_static
    default_backend dynamic
backend static
    balance roundrobin
    server static1 127.0.0.1:$((BASE + 1)) check inter 500 rise 2 fall 2 maxconn 500
    server static2 127.0.0.1:$((BASE + 2)) check inter 500 rise 2 fall 2 maxconn 500
backend dynamic
    balance roundrobin
    server dynamic1 127.0.0.1:$((BASE + 3)) check inter 500 rise 2 fall 2 maxconn 500
    server dynamic2 127.0.0.1:$((BASE + 4)) check inter 500 rise 2 fall 2 maxconn 500
CFG
"$here/bin/haquark" -db -f "$work/soak.cfg" > "$work/haquark.log" 2>&1 & proxy=$!; pids+=($proxy)
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$((BASE + 10))/index.html" && break; sleep 0.1; done
cat > "$work/mix.lua" <<'LUA'
local paths = {"/index.html", "/style.css", "/x.php", "/a/b.php?id=1", "/index.html?x=2"}
local i = 0
request = function() i = i + 1; return wrk.format("GET", paths[(i % #paths) + 1]) end
LUA
rss() { awk '/VmRSS/ {print $2}' "/proc/$proxy/status"; }
fds() { ls "/proc/$proxy/fd" | wc -l; }
wrk -t1 -c50 -d10s -s "$work/mix.lua" "http://127.0.0.1:$((BASE + 10))" >/dev/null   # warm-up, not counted
echo "start: RSS $(rss) KiB, fds $(fds)"
printf '%-5s %-22s %9s %9s %8s %s\n' slice fault requests req/s p99 "errors (connect/read/write/timeout, non-2xx)"
total=0; errors=0
for s in $(seq 1 "$SLICES"); do
  fault="-"
  if (( s % 2 == 0 )); then
    victim=$(( (s / 2 - 1) % 4 + 1 )); fault="server $victim down"
    kill "${npid[$victim]}" 2>/dev/null || true; wait "${npid[$victim]}" 2>/dev/null || true
  fi
  out=$(wrk -t1 -c50 -d"${SLICE}"s --latency -s "$work/mix.lua" "http://127.0.0.1:$((BASE + 10))" 2>&1)
  if (( s % 2 == 0 )); then start_nginx "$victim"; sleep 1.5; fi   # back, and up again after rise 2
  reqs=$(awk '/requests in/ {print $1}' <<<"$out")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  sock=$(awk '/Socket errors/ {gsub(",",""); print $4"/"$6"/"$8"/"$10}' <<<"$out"); sock=${sock:-0/0/0/0}
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out"); non2xx=${non2xx:-0}
  total=$((total + reqs)); errors=$((errors + non2xx + $(tr '/' '+' <<<"$sock")))
  printf '%-5s %-22s %9s %9s %8s %s, %s\n' "$s" "$fault" "$reqs" "$rps" "$p99" "$sock" "$non2xx"
done
echo "end:   RSS $(rss) KiB, fds $(fds)"
echo "total: $total requests, $errors errors ($(awk -v e="$errors" -v t="$total" 'BEGIN {printf "%.4f", t ? 100 * e / t : 0}') %)"

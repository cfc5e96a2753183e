#!/usr/bin/env bash
# haquark benchmark: wrk against haquark and, when installed, HAProxy, both running the same
# seed-style config in front of the same nginx servers. Prints req/s, p50, p99, errors and
# haquark/HAProxy ratios per scenario.
#
#   bench/run.sh                      # 10 s per run, ka100 close100 (keep-alive and Connection: close)
#   DURATION=20 SCENARIOS="ka10 ka100 ka1000 close100" bench/run.sh
#
# Everything binds 127.0.0.1 (ports BASE..BASE+20, default 23000); every process started here
# is stopped on exit. Needs: wrk, nginx (apt-get install wrk nginx), haproxy for the comparison.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
DURATION="${DURATION:-10}"
SCENARIOS="${SCENARIOS:-ka100 close100}"
BASE="${BASE:-23000}"
WARMUP="${WARMUP:-5}"
for tool in wrk nginx; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || { echo "bench: $tool is not installed (apt-get install $tool)"; exit 2; }
done
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
HAPROXY="$(command -v haproxy || { [ -x /usr/sbin/haproxy ] && echo /usr/sbin/haproxy; } || true)"
[ -f "$here/target/quarkus-app/quarkus-run.jar" ] || (cd "$here" && ./mvnw -B -q package -DskipTests)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
[ -n "${KEEP:-}" ] && trap - EXIT

mkdir -p "$work/www"
printf '<html><body>bench</body></html>\n' > "$work/www/index.html"
head -c 1024 /dev/zero | tr '\0' 'c' > "$work/www/style.css"
cat > "$work/nginx.conf" <<NGX
daemon off; master_process off; worker_processes 1; pid $work/nginx.pid; error_log $work/nginx.err;
events { worker_connections 4096; }
http {
  access_log off; keepalive_requests 1000000;
  server { listen 127.0.0.1:$((BASE+1)); root $work/www; add_header X-Served-By static1; location ~ \.php$ { return 200 "dyn\n"; } }
  server { listen 127.0.0.1:$((BASE+2)); root $work/www; add_header X-Served-By static2; location ~ \.php$ { return 200 "dyn\n"; } }
  server { listen 127.0.0.1:$((BASE+3)); root $work/www; add_header X-Served-By dynamic1; location ~ \.php$ { return 200 "dyn\n"; } }
  server { listen 127.0.0.1:$((BASE+4)); root $work/www; add_header X-Served-By dynamic2; location ~ \.php$ { return 200 "dyn\n"; } }
}
NGX
cfg() { # $1 = frontend port
cat <<CFG
global
    maxconn 8000
defaults
    mode http
    option http-keep-alive
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend main
    bind 127.0.0.1:$1
    acl url_static path_end -i .css .js .html
    use_backend static if url_static
    default_backend dynamic
backend static
    balance roundrobin
    server static1 127.0.0.1:$((BASE+1)) maxconn 1000
    server static2 127.0.0.1:$((BASE+2)) maxconn 1000
backend dynamic
    balance roundrobin
    server dynamic1 127.0.0.1:$((BASE+3)) maxconn 1000
    server dynamic2 127.0.0.1:$((BASE+4)) maxconn 1000
CFG
}
wait_port() { for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$1/index.html" && return 0; sleep 0.1; done; echo "bench: nothing answers on $1"; exit 1; }

"$NGINX" -c "$work/nginx.conf" & pids+=($!)
wait_port $((BASE+1))
targets=()
if [ -n "$HAPROXY" ]; then
  cfg $((BASE+10)) > "$work/haproxy.cfg"
  "$HAPROXY" -db -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1 & pids+=($!)
  wait_port $((BASE+10)); targets+=("haproxy:$((BASE+10))")
else
  echo "*** haproxy is not installed: haquark runs alone, no ratios ***"
fi
cfg $((BASE+11)) > "$work/haquark.cfg"
"$here/bin/haquark" -db -f "$work/haquark.cfg" >"$work/haquark.log" 2>&1 & pids+=($!)
wait_port $((BASE+11)); targets+=("haquark:$((BASE+11))")

run_wrk() { # $1 port $2 scenario $3 seconds -> "reqs p50 p99 errors"
  local conns=${2//[a-z]/} hdr=()
  [[ $2 == close* ]] && hdr=(-H "Connection: close")
  local out; out=$(wrk -t1 -c"$conns" -d"$3"s --latency "${hdr[@]}" "http://127.0.0.1:$1/index.html" 2>&1)
  local rps p50 p99 sock non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  sock=$(awk '/Socket errors/ {gsub(",",""); s=$4+$6+$8+$10} END {print s+0}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5} END {}' <<<"$out")
  echo "$rps $p50 $p99 $(( sock + ${non2xx:-0} ))"
}
for t in "${targets[@]}"; do run_wrk "${t#*:}" ka100 "$WARMUP" >/dev/null; done

printf '\n%-9s %-8s %10s %9s %9s %7s %8s\n' scenario target req/s p50 p99 errors "vs haproxy"
declare -A rps_of
for s in $SCENARIOS; do
  for t in "${targets[@]}"; do
    read -r rps p50 p99 err < <(run_wrk "${t#*:}" "$s" "$DURATION")
    rps_of["$s:${t%%:*}"]=$rps
    ratio="-"
    if [ "${t%%:*}" = haquark ] && [ -n "${rps_of[$s:haproxy]:-}" ]; then
      ratio=$(awk -v a="$rps" -v b="${rps_of[$s:haproxy]}" 'BEGIN {printf "%.2f", a/b}')
    fi
    printf '%-9s %-8s %10s %9s %9s %7s %8s\n' "$s" "${t%%:*}" "$rps" "$p50" "$p99" "$err" "$ratio"
  done
done

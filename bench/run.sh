#!/usr/bin/env bash
# haquark benchmark: wrk against haquark and, when installed, HAProxy, both running the same
# haproxy.cfg in front of the same nginx servers, one scenario after the other, same run.
# Prints req/s, p50, p99, errors, CPU-seconds of the proxy, requests per CPU-second, RSS, and
# the haquark/HAProxy ratios; with WRITE_DOC=1 also writes docs/performance.md.
#
#   bench/run.sh                                   # default scenarios, 5 s each, 3 repeats
#   SCENARIOS="ka100 close100" DURATION=10 REPEATS=1 bench/run.sh
#   IDLE=9000 bench/run.sh                         # also: RSS per idle keep-alive connection
#   WRITE_DOC=1 IDLE=9000 bench/run.sh             # the figures of docs/performance.md
#
# Scenarios (wrk -t1, keep-alive unless said):
#   ka10 ka100 ka1000   seed config (acl url_static path_end -i ...), /index.html, N connections
#   close100            the same with "Connection: close": one TCP connection per request
#   body16k             100 connections, a 16 KiB response body
#   acl100              100 use_backend rules, the request matches the last one
#   be50x10             50 backends x 10 servers, use_backend by path prefix
#   tls100              "bind ... ssl crt" (a self-signed RSA 2048 PEM made here), 100 connections
#
# Everything binds 127.0.0.1 (ports BASE..BASE+40, default 23000); every process started here
# is stopped on exit. Needs wrk, nginx, openssl, python3 (apt-get install wrk nginx); haproxy
# for the comparison (without it haquark runs alone and there are no ratios).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
DURATION="${DURATION:-5}"
REPEATS="${REPEATS:-3}"
SCENARIOS="${SCENARIOS:-ka10 ka100 ka1000 close100 body16k acl100 be50x10 tls100}"
BASE="${BASE:-23000}"
WARMUP="${WARMUP:-10}"
IDLE="${IDLE:-0}"
for tool in wrk nginx openssl python3; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || { echo "bench: $tool is not installed (apt-get install $tool)"; exit 2; }
done
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
HAPROXY="$(command -v haproxy || { [ -x /usr/sbin/haproxy ] && echo /usr/sbin/haproxy; } || true)"
jar="$here/target/quarkus-app/quarkus-run.jar"
if [ ! -f "$jar" ] || [ -n "$(cd "$here" && find src pom.xml -newer "$jar" -print -quit)" ]; then
  (cd "$here" && ./mvnw -B -q package -DskipTests)   # missing or older than the sources
fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# ---- servers: nginx on 4 ports, static files, /bN/ directories for be50x10
mkdir -p "$work/www"
printf '<html><body>bench</body></html>\n' > "$work/www/index.html"
head -c 16384 /dev/zero | tr '\0' 'j' > "$work/www/app.js"
for i in $(seq 0 49); do mkdir -p "$work/www/b$i"; cp "$work/www/index.html" "$work/www/b$i/"; done
mkdir -p "$work/www/static"; cp "$work/www/index.html" "$work/www/static/"
cat > "$work/nginx.conf" <<NGX
daemon off; master_process off; worker_processes 1; pid $work/nginx.pid; error_log $work/nginx.err;
events { worker_connections 8192; }
http {
  access_log off; keepalive_requests 1000000;
  server { listen 127.0.0.1:$((BASE+1)); root $work/www; }
  server { listen 127.0.0.1:$((BASE+2)); root $work/www; }
  server { listen 127.0.0.1:$((BASE+3)); root $work/www; }
  server { listen 127.0.0.1:$((BASE+4)); root $work/www; }
}
NGX
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=bench.local" \
  -keyout "$work/key.pem" -out "$work/cert.pem" >/dev/null 2>&1
cat "$work/cert.pem" "$work/key.pem" > "$work/bench.pem"

# ---- configs: the same text for both proxies, only the port differs
head_cfg() {
cat <<CFG
global
    maxconn 9500
defaults
    mode http
    option http-keep-alive
    timeout connect 5s
    timeout client 30s
    timeout server 30s
CFG
}
seed_backends() {
cat <<CFG
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
cfg() { # $1 = variant (seed|acl100|be50x10|tls), $2 = frontend port
  local i b s
  head_cfg
  case $1 in
    seed|tls)
      printf 'frontend main\n    bind 127.0.0.1:%s%s\n' "$2" "$([ "$1" = tls ] && echo " ssl crt $work/bench.pem")"
      printf '    acl url_static path_end -i .css .js .html\n    use_backend static if url_static\n    default_backend dynamic\n'
      seed_backends ;;
    acl100)
      printf 'frontend main\n    bind 127.0.0.1:%s\n' "$2"
      for i in $(seq 0 98); do
        case $((i % 5)) in
          0) printf '    acl a%d path_beg /api/v%d/\n' "$i" "$i" ;;
          1) printf '    acl a%d hdr(host) -i app%d.example.com\n' "$i" "$i" ;;
          2) printf '    acl a%d path_end -i .x%d\n' "$i" "$i" ;;
          3) printf '    acl a%d url_param(k%d) -m found\n' "$i" "$i" ;;
          4) printf '    acl a%d hdr_beg(user-agent) bot%d\n' "$i" "$i" ;;
        esac
        printf '    use_backend dynamic if a%d\n' "$i"
      done
      printf '    acl last path_beg /static/\n    use_backend static if last\n    default_backend dynamic\n'
      seed_backends ;;
    be50x10)
      printf 'frontend main\n    bind 127.0.0.1:%s\n' "$2"
      for b in $(seq 0 49); do printf '    use_backend be%d if { path_beg /b%d/ }\n' "$b" "$b"; done
      printf '    default_backend be0\n'
      for b in $(seq 0 49); do
        printf 'backend be%d\n    balance roundrobin\n' "$b"
        for s in $(seq 0 9); do printf '    server s%d 127.0.0.1:%d maxconn 1000\n' "$s" $((BASE + 1 + s % 4)); done
      done ;;
  esac
}

wait_url() { for _ in $(seq 1 150); do curl -ks -o /dev/null "$1" && return 0; sleep 0.1; done; echo "bench: nothing answers on $1"; exit 1; }
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }   # clock ticks (utime+stime)
rss_of() { awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
hz=$(getconf CLK_TCK)

"$NGINX" -c "$work/nginx.conf" & pids+=($!)
wait_url "http://127.0.0.1:$((BASE+1))/index.html"

declare -A pid_of port_of
start_proxies() { # $1 = variant: (re)start both proxies on that config
  for name in haproxy haquark; do
    if [ -n "${pid_of[$name]:-}" ]; then kill "${pid_of[$name]}" 2>/dev/null || true; wait "${pid_of[$name]}" 2>/dev/null || true; fi
  done
  local scheme=http; [ "$1" = tls ] && scheme=https
  if [ -n "$HAPROXY" ]; then
    cfg "$1" $((BASE+10)) > "$work/haproxy.cfg"
    "$HAPROXY" -db -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1 & pid_of[haproxy]=$!; pids+=($!)
    port_of[haproxy]=$((BASE+10)); wait_url "$scheme://127.0.0.1:$((BASE+10))/index.html"
  fi
  cfg "$1" $((BASE+11)) > "$work/haquark.cfg"
  "$here/bin/haquark" -db -f "$work/haquark.cfg" >"$work/haquark.log" 2>&1 & pid_of[haquark]=$!; pids+=($!)
  port_of[haquark]=$((BASE+11)); wait_url "$scheme://127.0.0.1:$((BASE+11))/index.html"
  rss_start[haquark]=$(rss_of "${pid_of[haquark]}")
  [ -n "$HAPROXY" ] && rss_start[haproxy]=$(rss_of "${pid_of[haproxy]}")
  return 0
}
declare -A rss_start

variant_of() { case $1 in acl100) echo acl100 ;; be50x10) echo be50x10 ;; tls100) echo tls ;; *) echo seed ;; esac; }
url_of() { # $1 scenario $2 port
  case $1 in
    body16k) echo "http://127.0.0.1:$2/app.js" ;;
    acl100) echo "http://127.0.0.1:$2/static/index.html" ;;
    be50x10) echo "http://127.0.0.1:$2/b49/index.html" ;;
    tls100) echo "https://127.0.0.1:$2/index.html" ;;
    *) echo "http://127.0.0.1:$2/index.html" ;;
  esac
}
conns_of() { case $1 in ka10) echo 10 ;; ka1000) echo 1000 ;; *) echo 100 ;; esac; }

run_wrk() { # $1 name $2 scenario $3 seconds -> "rps p50 p99 errors cpu_s"
  local hdr=() pid=${pid_of[$1]}
  [[ $2 == close* ]] && hdr=(-H "Connection: close")
  local c0; c0=$(cpu_of "$pid")
  local out; out=$(wrk -t1 -c"$(conns_of "$2")" -d"$3"s --latency "${hdr[@]}" "$(url_of "$2" "${port_of[$1]}")" 2>&1)
  local c1; c1=$(cpu_of "$pid")
  awk -v cpu="$(( c1 - c0 ))" -v hz="$hz" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ {rps=$2} $1=="50%" {p50=ms($2)} $1=="99%" {p99=ms($2)}
    /Socket errors/ {gsub(",",""); err+=$4+$6+$8+$10} /Non-2xx/ {err+=$5}
    END {printf "%s %.2f %.2f %d %.2f\n", rps+0, p50, p99, err+0, cpu/hz}' <<<"$out"
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

targets=(haquark); [ -n "$HAPROXY" ] && targets=(haproxy haquark)
[ -z "$HAPROXY" ] && echo "*** haproxy is not installed: haquark runs alone, no ratios ***"
declare -A res
current=""
for s in $SCENARIOS; do
  v=$(variant_of "$s")
  if [ "$v" != "$current" ]; then
    start_proxies "$v"; current=$v
    for t in "${targets[@]}"; do run_wrk "$t" "$s" "$WARMUP" >/dev/null; done   # JIT warm-up, not recorded
  fi
  for r in $(seq 1 "$REPEATS"); do
    order=("${targets[@]}"); (( r % 2 == 0 )) && order=($(printf '%s\n' "${targets[@]}" | tac))
    for t in "${order[@]}"; do
      line=$(run_wrk "$t" "$s" "$DURATION")
      res["$s:$t"]+="$line"$'\n'
      echo "  $s rep$r $t: $line" >&2
    done
  done
done

report="$work/report.md"
{
  echo "| scenario | proxy | req/s | p50 ms | p99 ms | errors | CPU s | req per CPU-s | req/s vs HAProxy | req/CPU-s vs HAProxy | p99 vs HAProxy |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for s in $SCENARIOS; do
    declare -A m=()
    for t in "${targets[@]}"; do
      rows="${res[$s:$t]}"
      m[$t:rps]=$(awk 'NF {print $1}' <<<"$rows" | median)
      m[$t:p50]=$(awk 'NF {print $2}' <<<"$rows" | median)
      m[$t:p99]=$(awk 'NF {print $3}' <<<"$rows" | median)
      m[$t:err]=$(awk 'NF {s+=$4} END {print s+0}' <<<"$rows")
      m[$t:cpu]=$(awk 'NF {print $5}' <<<"$rows" | median)
      m[$t:rpc]=$(awk -v d="$DURATION" 'NF && $5 > 0 {print $1 * d / $5}' <<<"$rows" | median)
    done
    for t in "${targets[@]}"; do
      r1=-; r2=-; r3=-
      if [ "$t" = haquark ] && [ -n "$HAPROXY" ]; then
        r1=$(awk -v a="${m[haquark:rps]}" -v b="${m[haproxy:rps]}" 'BEGIN {printf "%.2f", a/b}')
        r2=$(awk -v a="${m[haquark:rpc]}" -v b="${m[haproxy:rpc]}" 'BEGIN {printf "%.2f", a/b}')
        r3=$(awk -v a="${m[haquark:p99]}" -v b="${m[haproxy:p99]}" 'BEGIN {printf "%.2f", a/b}')
      fi
      printf '| %s | %s | %.0f | %s | %s | %s | %s | %.0f | %s | %s | %s |\n' "$s" "$t" "${m[$t:rps]}" "${m[$t:p50]}" \
        "${m[$t:p99]}" "${m[$t:err]}" "${m[$t:cpu]}" "${m[$t:rpc]}" "$r1" "$r2" "$r3"
    done
    unset m
  done
  echo
  echo "| proxy | RSS after start (KiB) | RSS after the last scenario (KiB) |"
  echo "|---|---:|---:|"
  for t in "${targets[@]}"; do printf '| %s | %s | %s |\n' "$t" "${rss_start[$t]}" "$(rss_of "${pid_of[$t]}")"; done
} > "$report"

if [ "$IDLE" -gt 0 ]; then
  start_proxies seed
  # Baseline after a warm-up load, as a running proxy has it (the JVM heap has grown by then).
  for t in "${targets[@]}"; do run_wrk "$t" ka100 "$WARMUP" >/dev/null; done
  {
    echo
    echo "Idle keep-alive connections ($IDLE, each after one request), RSS growth of the proxy process after a warm-up load:"
    echo
    echo "| proxy | RSS before (KiB) | RSS with $IDLE idle (KiB) | KiB per connection |"
    echo "|---|---:|---:|---:|"
    for t in "${targets[@]}"; do
      before=$(rss_of "${pid_of[$t]}")
      python3 - "${port_of[$t]}" "$IDLE" "${pid_of[$t]}" "$before" "$t" <<'PY'
import socket, sys, time
port, n, pid, before, name = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
socks = []
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    socks.append(s)
req = b"GET /index.html HTTP/1.1\r\nHost: bench\r\n\r\n"
for s in socks:
    s.sendall(req)
for s in socks:
    s.settimeout(10)
    data = b""
    while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"</html>"):
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
time.sleep(2)
rss = int([l.split()[1] for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS")][0])
print(f"| {name} | {before} | {rss} | {(rss - before) / n:.2f} |")
for s in socks:
    s.close()
PY
    done
  } >> "$report"
fi

echo
cat "$report"
if [ -n "${WRITE_DOC:-}" ]; then
  {
    echo "# Performance"
    echo
    echo "Figures from one \`bench/run.sh\` run ($(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m)), haquark and HAProxy"
    echo "$("${HAPROXY:-true}" -v 2>/dev/null | head -1 | awk '{print $3}' | sed 's/^/ /') on the same config in front of the same nginx, wrk -t1,"
    echo "$DURATION s per run, medians of $REPEATS runs (order alternated), after a ${WARMUP} s warm-up per proxy and config."
    echo "CPU s = CPU-seconds the proxy process used during one run; ratios are haquark / HAProxy."
    echo "Regenerate with \`WRITE_DOC=1 IDLE=9000 bench/run.sh\`; JMH figures with \`bench/jmh.sh\`."
    echo
    cat "$report"
    if [ -f "$here/docs/performance-notes.md" ]; then echo; cat "$here/docs/performance-notes.md"; fi
  } > "$here/docs/performance.md"
  echo "wrote docs/performance.md"
fi

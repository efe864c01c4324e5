# Shared by the bench scripts: start AMDC and redis-server side by side on free ports, stop them.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
OUT=${BENCH_OUT:-$BENCH_DIR/out}
mkdir -p "$OUT"
command -v redis-server >/dev/null || { echo "redis-server is needed (apt-get install redis-server redis-tools)"; exit 1; }
command -v redis-benchmark >/dev/null || { echo "redis-benchmark is needed (apt-get install redis-tools)"; exit 1; }
[ -d "$ROOT/amdc-dist/target/lib" ] || { echo "build AMDC first: make"; exit 1; }

AMDC_PORT=${AMDC_PORT:-7379}
REDIS_PORT=${REDIS_PORT:-7380}
PIDS=()

wait_ping() {
  local port=$1 i
  for i in $(seq 1 200); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "server on $port did not start"; return 1
}

start_amdc() {
  "$ROOT/bin/amdc-server" --port "$AMDC_PORT" --save "" --appendonly no ${AMDC_ARGS:-} "$@" >"$OUT/amdc.log" 2>&1 &
  AMDC_PID=$!
  PIDS+=("$AMDC_PID")
  wait_ping "$AMDC_PORT"
}

start_redis() {
  redis-server --port "$REDIS_PORT" --save "" --appendonly no --daemonize no "$@" >"$OUT/redis.log" 2>&1 &
  REDIS_PID=$!
  PIDS+=("$REDIS_PID")
  wait_ping "$REDIS_PORT"
}

stop_all() {
  local p
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all EXIT

# Resident memory of a process in bytes.
rss_bytes() {
  awk '/VmRSS/ {print $2 * 1024}' "/proc/$1/status"
}

used_memory() {
  redis-cli -p "$1" info memory | awk -F: '/^used_memory:/ {print $2+0}'
}

ratio() {
  python3 -c "import sys; a=float(sys.argv[1]); b=float(sys.argv[2]); print(f'{a/b:.2f}' if b else 'n/a')" "$1" "$2"
}

# Parses redis-benchmark's full output into "test rps p50 p99 p999" lines.
bench_parse() {
  python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
for block in re.split(r'====== ', text)[1:]:
    name = block.split(' ======')[0].strip().split()[0]
    rps = re.search(r'throughput summary: ([\d.]+) requests per second', block)
    pct = {}
    for m in re.finditer(r'([\d.]+)% <= ([\d.]+) milliseconds', block):
        pct.setdefault('rows', []).append((float(m.group(1)), float(m.group(2))))
    def at(p):
        for q, ms in pct.get('rows', []):
            if q >= p:
                return ms
        return float('nan')
    print(name, rps.group(1) if rps else 'nan', at(50), at(99), at(99.9))
PY
}

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
  "$ROOT/bin/amdc-server" --port "$AMDC_PORT" --save "" --appendonly no "$@" >"$OUT/amdc.log" 2>&1 &
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

ratio() {
  python3 -c "import sys; a=float(sys.argv[1]); b=float(sys.argv[2]); print(f'{a/b:.2f}' if b else 'n/a')" "$1" "$2"
}

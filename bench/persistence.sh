#!/usr/bin/env bash
# SAVE time and load (restart) time, AMDC vs redis-server side by side: KEYS string keys
# (default 1M; BIG=1 for 10M) plus some aggregates. Each server saves into its own directory and
# is restarted on it; load time is from process start to the first PONG after the load.
. "$(dirname "$0")/common.sh"
KEYS=${KEYS:-1000000}
[ "${BIG:-0}" = 1 ] && KEYS=10000000
AMDC_DIR=$(mktemp -d); REDIS_DIR=$(mktemp -d)
trap 'stop_all; rm -rf "$AMDC_DIR" "$REDIS_DIR"' EXIT

python3 - "$KEYS" > "$OUT/persist.resp" <<'PY'
import sys
n = int(sys.argv[1])
out = sys.stdout.buffer
for i in range(n):
    k = b'k:%08d' % i
    v = b'value-%010d' % i
    out.write(b'*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n' % (len(k), k, len(v), v))
for i in range(n // 1000):
    k = b'h:%06d' % i
    out.write(b'*6\r\n$4\r\nHSET\r\n$%d\r\n%s\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n' % (len(k), k))
    k = b'l:%06d' % i
    out.write(b'*5\r\n$5\r\nRPUSH\r\n$%d\r\n%s\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nz\r\n' % (len(k), k))
PY

now_ms() { date +%s%3N; }

measure() {
  local name=$1 port=$2 dir=$3 t0 t1 save_ms load_ms size
  redis-cli -p "$port" --pipe < "$OUT/persist.resp" >/dev/null
  t0=$(now_ms); redis-cli -p "$port" save >/dev/null; t1=$(now_ms); save_ms=$((t1 - t0))
  size=$(stat -c %s "$dir/dump.rdb")
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  wait "$4" 2>/dev/null || true
  t0=$(now_ms)
  if [ "$name" = amdc ]; then start_amdc --dir "$dir"; else start_redis --dir "$dir"; fi
  # PING answers -LOADING until the dataset is in: wait for a real PONG.
  until [ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ]; do sleep 0.02; done
  t1=$(now_ms); load_ms=$((t1 - t0))
  local keys; keys=$(redis-cli -p "$port" dbsize)
  # The load itself, as each server logs it ("DB loaded from disk: 0.596 seconds"), without
  # process start-up (the JVM's is ~0.5 s).
  local logged; logged=$(grep -o 'DB loaded from disk: [0-9.]* seconds' "$OUT/$name.log" | tail -1 | awk '{print $5}')
  printf "%-6s keys=%-9s save_ms=%-7s restart_to_pong_ms=%-7s load_s=%-7s file_bytes=%s\n" "$name" "$keys" \
    "$save_ms" "$load_ms" "$logged" "$size"
}

start_amdc --dir "$AMDC_DIR"
measure amdc "$AMDC_PORT" "$AMDC_DIR" "$AMDC_PID"
start_redis --dir "$REDIS_DIR"
measure redis "$REDIS_PORT" "$REDIS_DIR" "$REDIS_PID"


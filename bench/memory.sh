#!/usr/bin/env bash
# Resident memory per key, AMDC vs redis-server, same data in one run: KEYS string keys of about
# 10 bytes with 16-byte values (TTL=1 adds a one-hour TTL to each). Reports (RSS after - RSS before) / keys.
# Before the "before" reading each server takes a 1% warm-up of the same load, drops it and idles
# SETTLE seconds, and both readings follow a MEMORY PURGE on each server, so the delta is the marginal cost of the keys and not one-time start-up costs.
. "$(dirname "$0")/common.sh"
KEYS=${KEYS:-1000000}
TTL=${TTL:-0}
start_amdc
start_redis
gen() {
  python3 - "${1:-$KEYS}" "$TTL" <<'PY'
import sys
n, ttl = int(sys.argv[1]), sys.argv[2] == '1'
out = sys.stdout.buffer
for i in range(n):
    k = b'k:%08d' % i            # 10 bytes
    v = b'v' * 6 + b'%010d' % i  # 16 bytes
    if ttl:
        out.write(b'*5\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n$2\r\nEX\r\n$4\r\n3600\r\n' % (len(k), k, len(v), v))
    else:
        out.write(b'*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n' % (len(k), k, len(v), v))
PY
}
gen > "$OUT/load.resp"
gen $((KEYS / 100)) > "$OUT/warm.resp"
for port in $AMDC_PORT $REDIS_PORT; do
  redis-cli -p "$port" --pipe < "$OUT/warm.resp" >/dev/null
  redis-cli -p "$port" flushall >/dev/null
done
sleep "${SETTLE:-6}"
report() {
  local name=$1 pid=$2 port=$3 before after
  redis-cli -p "$port" memory purge >/dev/null
  before=$(rss_bytes "$pid")
  redis-cli -p "$port" --pipe < "$OUT/load.resp" >/dev/null
  sleep 3
  # Give the JVM's collector a moment to settle after the load, as Redis settles its allocator.
  redis-cli -p "$port" dbsize >/dev/null
  sleep 2
  redis-cli -p "$port" memory purge >/dev/null
  after=$(rss_bytes "$pid")
  echo "$name $before $after $(( (after - before) / KEYS ))"
}
a=$(report amdc "$AMDC_PID" "$AMDC_PORT")
r=$(report redis "$REDIS_PID" "$REDIS_PORT")
echo "server rss_before rss_after bytes_per_key" | tee "$OUT/memory.txt"
echo "$a" | tee -a "$OUT/memory.txt"
echo "$r" | tee -a "$OUT/memory.txt"
echo "ratio amdc/redis per key: $(ratio "$(echo "$a" | awk '{print $4}')" "$(echo "$r" | awk '{print $4}')")" | tee -a "$OUT/memory.txt"

#!/usr/bin/env bash
# Resident memory per element for each aggregate type, AMDC vs redis-server in one run:
#   hash   100k hashes of 10 fields      set   100k sets of 10 integers
#   zset   100k zsets of 10 members      list  one list of 1M items
#   stream one stream of 1M entries      bigzset one zset of 1M members (skiplist encoding)
# Each type is loaded into fresh servers; prints bytes/element and the AMDC/Redis ratio.
# SCALE=10 loads ten times as many (1M hashes, sets, zsets; 10M list items...): at the default
# size a data set is 12-30 MB, and a few MB of collector headroom either way moves a ratio by
# 0.2-0.4 between identical runs; at 10x the per-element cost shows through.
. "$(dirname "$0")/common.sh"
TYPES=${TYPES:-hash set zset bigzset list stream}
# gen TYPE [DIVISOR]: the load, or 1/DIVISOR of it (the warm-up).
gen() {
  python3 - "$1" "${2:-1}" "${SCALE:-1}" <<'PY'
import sys
kind = sys.argv[1]
div = int(sys.argv[2])
scale = int(sys.argv[3])
out = sys.stdout.buffer
def cmd(*args):
    out.write(b'*%d\r\n' % len(args))
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.write(b'$%d\r\n%s\r\n' % (len(a), a))
if kind == 'hash':
    for i in range(100000 * scale // div):
        args = ['HSET', 'h:%06d' % i]
        for f in range(10):
            args += ['field%d' % f, 'value%06d' % (i + f)]
        cmd(*args)
elif kind == 'set':
    for i in range(100000 * scale // div):
        cmd('SADD', 's:%06d' % i, *[str(i * 10 + m) for m in range(10)])
elif kind == 'zset':
    for i in range(100000 * scale // div):
        args = ['ZADD', 'z:%06d' % i]
        for m in range(10):
            args += [str(m * 1.5), 'member%d' % m]
        cmd(*args)
elif kind == 'bigzset':
    import random
    rnd = random.Random(5)
    for i in range(0, 1000000 * scale // div, 100):
        args = ['ZADD', 'bigzset']
        for j in range(i, i + 100):
            args += [str(rnd.randrange(10**9)), 'member%07d' % j]
        cmd(*args)
elif kind == 'list':
    for i in range(0, 1000000 * scale // div, 100):
        cmd('RPUSH', 'biglist', *['item%07d' % j for j in range(i, i + 100)])
elif kind == 'stream':
    for i in range(1000000 * scale // div):
        cmd('XADD', 'bigstream', '%d-0' % (i + 1), 'sensor', 'temp', 'value', str(i % 1000))
PY
}
elements() {
  echo $((1000000 * ${SCALE:-1}))
}
# Two readings: resident memory (RSS delta, what the machine pays) and used_memory (each server's
# own count of its data). The RSS delta is the marginal cost of the elements: before the "before"
# reading each server takes a 1% warm-up load of the same commands, drops it (FLUSHALL) and idles
# SETTLE seconds, and both readings follow a MEMORY PURGE (jemalloc's purge for Redis; a
# collection cycle and a malloc trim for AMDC), so one-time costs (loading and compiling the type's code paths, a collector that
# has not yet shrunk the start-up heap) fall outside the delta for both servers alike. The
# absolute RSS of both is printed too: the JVM's fixed start-up footprint is larger than Redis's.
# Bytes per element with one decimal: at 11-15 bytes per set member, whole bytes moved a ratio by 0.08.
per_element() {
  awk -v d="$1" -v n="$2" 'BEGIN { printf "%.1f", d / n }'
}
printf "%-7s %12s %12s %7s | %12s %12s %7s\n" type amdc_rss/el redis_rss/el ratio amdc_used/el redis_used/el ratio | tee "$OUT/types-memory.txt"
for t in $TYPES; do
  gen "$t" > "$OUT/load-$t.resp"
  gen "$t" 100 > "$OUT/warm-$t.resp"
  n=$(elements "$t")
  PIDS=()
  start_amdc; start_redis
  for port in $AMDC_PORT $REDIS_PORT; do
    redis-cli -p "$port" --pipe < "$OUT/warm-$t.resp" >/dev/null
    redis-cli -p "$port" flushall >/dev/null
  done
  sleep "${SETTLE:-6}"
  res=(); abs=()
  for side in amdc redis; do
    if [ $side = amdc ]; then pid=$AMDC_PID; port=$AMDC_PORT; else pid=$REDIS_PID; port=$REDIS_PORT; fi
    redis-cli -p "$port" memory purge >/dev/null
    before=$(rss_bytes "$pid")
    ubefore=$(used_memory "$port")
    redis-cli -p "$port" --pipe < "$OUT/load-$t.resp" >/dev/null
    sleep 10
    redis-cli -p "$port" memory purge >/dev/null
    after=$(rss_bytes "$pid")
    uafter=$(used_memory "$port")
    res+=("$(per_element $((after - before)) "$n")" "$(per_element $((uafter - ubefore)) "$n")")
    abs+=("$side $(( before / 1048576 ))->$(( after / 1048576 )) MB")
  done
  printf "%-7s %12s %12s %7s | %12s %12s %7s\n" "$t" "${res[0]}" "${res[2]}" "$(ratio "${res[0]}" "${res[2]}")" \
    "${res[1]}" "${res[3]}" "$(ratio "${res[1]}" "${res[3]}")" | tee -a "$OUT/types-memory.txt"
  echo "        rss: ${abs[0]}, ${abs[1]}" | tee -a "$OUT/types-memory.txt"
  stop_all
done

#!/usr/bin/env bash
# Server CPU per request, AMDC vs redis-server in one run: the servers' user+system CPU time
# (from /proc) over one redis-benchmark load, divided by the requests, and the same for the
# benchmark client. On a box where the client shares the cores, throughput ratios move by +-10%
# between runs; this figure moves far less and says whether a change made the server cheaper.
#   T=set (the redis-benchmark test), N=400000, BARGS="-P 16" (extra benchmark arguments),
#   IOT=1 (AMDC's io-threads: 1 compares one loop with Redis's one thread).
. "$(dirname "$0")/common.sh"
T=${T:-set}
N=${N:-400000}
start_amdc --io-threads "${IOT:-1}"
start_redis
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
# Warm-up for both (AMDC's JIT), then each side twice, alternating.
for port in $AMDC_PORT $REDIS_PORT; do
  redis-benchmark -p "$port" -t "$T" -n $((N / 2)) -r 100000 -d 64 -c 50 -q ${BARGS:-} >/dev/null 2>&1
done
printf "%-6s %12s %14s %14s\n" server rps server_us/req bench_us/req | tee "$OUT/cpu-per-request.txt"
for side in amdc redis amdc redis; do
  if [ "$side" = amdc ]; then pid=$AMDC_PID; port=$AMDC_PORT; else pid=$REDIS_PID; port=$REDIS_PORT; fi
  before=$(cpu_ticks "$pid")
  /usr/bin/time -f "%U %S" -o "$OUT/bench-time" redis-benchmark -p "$port" -t "$T" -n "$N" -r 100000 -d 64 -c 50 \
    -q ${BARGS:-} 2>/dev/null | tr '\r' '\n' | grep "requests per" > "$OUT/bench-line"
  after=$(cpu_ticks "$pid")
  rps=$(sed 's/.*: \([0-9.]*\) requests per second.*/\1/' "$OUT/bench-line")
  read -r bu bs < <(tail -1 "$OUT/bench-time")
  awk -v s="$side" -v r="$rps" -v a="$before" -v b="$after" -v hz="$hz" -v n="$N" -v bu="$bu" -v bs="$bs" \
    'BEGIN { printf "%-6s %12.0f %14.2f %14.2f\n", s, r, (b - a) / hz * 1e6 / n, (bu + bs) * 1e6 / n }' |
    tee -a "$OUT/cpu-per-request.txt"
done

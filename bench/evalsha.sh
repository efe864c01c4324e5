#!/usr/bin/env bash
# EVALSHA of a small script (INCR of a random key through redis.call), AMDC vs redis-server:
#   redis-benchmark -n N -r 100000 -c 50 -P {1,16} EVALSHA <sha> 1 key:__rand_int__
# Prints requests/s for both and the AMDC/Redis ratio (>1 means AMDC is faster).
. "$(dirname "$0")/common.sh"
N=${N:-500000}
SCRIPT="return redis.call('incr', KEYS[1])"
start_amdc
start_redis

rps() {
  tr '\r' '\n' < "$1" | sed -n 's/.*throughput summary: \([0-9.]*\) requests per second.*/\1/p' | tail -1
}

declare -A SHA
for port in $AMDC_PORT $REDIS_PORT; do
  SHA[$port]=$(redis-cli -p "$port" SCRIPT LOAD "$SCRIPT")
  # Warm-up pass (JIT for AMDC, same work for Redis).
  redis-benchmark -p "$port" -n $((N / 4)) -r 100000 -c 50 -P 16 -q EVALSHA "${SHA[$port]}" 1 key:__rand_int__ >/dev/null 2>&1
done

printf "%-8s %-4s %12s %12s %7s\n" test P amdc_rps redis_rps ratio | tee "$OUT/evalsha.txt"
for P in 1 16; do
  redis-benchmark -p "$AMDC_PORT" -n "$N" -r 100000 -c 50 -P "$P" EVALSHA "${SHA[$AMDC_PORT]}" 1 key:__rand_int__ > "$OUT/evalsha-amdc-P$P.raw" 2>/dev/null
  redis-benchmark -p "$REDIS_PORT" -n "$N" -r 100000 -c 50 -P "$P" EVALSHA "${SHA[$REDIS_PORT]}" 1 key:__rand_int__ > "$OUT/evalsha-redis-P$P.raw" 2>/dev/null
  a=$(rps "$OUT/evalsha-amdc-P$P.raw")
  r=$(rps "$OUT/evalsha-redis-P$P.raw")
  printf "%-8s %-4s %12s %12s %7s\n" evalsha "$P" "$a" "$r" "$(ratio "$a" "$r")" | tee -a "$OUT/evalsha.txt"
done

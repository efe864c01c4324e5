#!/usr/bin/env bash
# Throughput of the aggregate-type commands, AMDC vs redis-server in one run:
# LPUSH, LPOP, SADD, HSET, ZADD (redis-benchmark's built-in tests), XADD and ZRANGE (custom commands:
# this redis-benchmark has no built-in XADD test).
. "$(dirname "$0")/common.sh"
# 2M requests per test: at 500k the fast tests last ~0.4 s and moved by +-30% between identical
# runs (LPUSH 0.66-0.95); at 2M they agree within ~5-10%.
N=${N:-2000000}
start_amdc
start_redis
run() { # port args...
  local port=$1; shift
  redis-benchmark -p "$port" -n "$N" -r 100000 -c 50 -P "${P:-16}" --csv "$@" 2>/dev/null | tail -n +2 | tr -d '"' | cut -d, -f1,2
}
for port in $AMDC_PORT $REDIS_PORT; do
  redis-cli -p "$port" del bench:zset >/dev/null
  for i in $(seq 1 200); do echo "ZADD bench:zset $i m$i"; done | redis-cli -p "$port" >/dev/null
  run "$port" -t lpush,lpop,sadd,hset,zadd >/dev/null   # warm-up pass for both
  run "$port" XADD bench:warm '*' field value >/dev/null
done
printf "%-28s %12s %12s %7s\n" test amdc_rps redis_rps ratio | tee "$OUT/types-throughput.txt"
# Each test runs twice back to back on each server and the second run is reported: a test lasts
# 1-2 s, and AMDC's io-threads-adaptive needs a few hundred ms after a load changes to settle its
# loop count (the first run of a test otherwise measures the previous test's setting for part of
# its time). Redis gets the same two runs. FIRST=1 reports the first runs instead.
twice() { # port args...: the second run's line (the first with FIRST=1)
  local first second
  first=$(run "$@")
  second=$(run "$@")
  if [ "${FIRST:-0}" = 1 ]; then echo "$first"; else echo "$second"; fi
}
side() { # port: every test's "name,rps" line
  for t in lpush lpop sadd hset zadd; do twice "$1" -t "$t"; done
  twice "$1" XADD bench:stream '*' field value | sed 's/^[^,]*/XADD/'
  twice "$1" ZRANGE bench:zset 0 9 | sed 's/^[^,]*/ZRANGE 0 9/'
}
# One server at a time (process substitutions would run both loads at once on the same cores).
side $AMDC_PORT > "$OUT/types-amdc.csv"
side $REDIS_PORT > "$OUT/types-redis.csv"
paste -d, "$OUT/types-amdc.csv" "$OUT/types-redis.csv" |
while IFS=, read -r t a _ r; do
  printf "%-28s %12s %12s %7s\n" "$t" "$a" "$r" "$(ratio "$a" "$r")"
done | tee -a "$OUT/types-throughput.txt"

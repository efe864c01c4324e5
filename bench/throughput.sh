#!/usr/bin/env bash
# Throughput and latency, AMDC vs redis-server, same load in one run:
#   redis-benchmark -t set,get,incr,mset -n N -r 100000 -d 64 -c 50, with -P 1 and -P 16.
# Prints requests/s, p50/p99/p99.9 for both and the AMDC/Redis ratio (>1 means AMDC is faster
# for throughput; for latency <1 means AMDC is faster).
. "$(dirname "$0")/common.sh"
N=${N:-1000000}
TESTS=${TESTS:-set,get,incr,mset}
start_amdc
start_redis

# One pass of the same load warms the JVM's JIT before measuring; Redis gets the same pass.
for port in $AMDC_PORT $REDIS_PORT; do
  redis-benchmark -p "$port" -t "$TESTS" -n $((N / 4)) -r 100000 -d 64 -c 50 -P 16 -q >/dev/null 2>&1
done


printf "%-8s %-4s %12s %12s %7s | %8s %8s %8s | %8s %8s %8s\n" test P amdc_rps redis_rps ratio a_p50 a_p99 a_p999 r_p50 r_p99 r_p999 | tee "$OUT/throughput.txt"
for P in 1 16; do
  redis-benchmark -p "$AMDC_PORT" -t "$TESTS" -n "$N" -r 100000 -d 64 -c 50 -P "$P" > "$OUT/amdc-P$P.raw" 2>/dev/null
  redis-benchmark -p "$REDIS_PORT" -t "$TESTS" -n "$N" -r 100000 -d 64 -c 50 -P "$P" > "$OUT/redis-P$P.raw" 2>/dev/null
  tr '\r' '\n' < "$OUT/amdc-P$P.raw" > "$OUT/amdc-P$P.txt"
  tr '\r' '\n' < "$OUT/redis-P$P.raw" > "$OUT/redis-P$P.txt"
  paste -d' ' <(bench_parse "$OUT/amdc-P$P.txt") <(bench_parse "$OUT/redis-P$P.txt") | while read -r t ar a50 a99 a999 _ rr r50 r99 r999; do
    printf "%-8s %-4s %12s %12s %7s | %8s %8s %8s | %8s %8s %8s\n" "$t" "$P" "$ar" "$rr" "$(ratio "$ar" "$rr")" "$a50" "$a99" "$a999" "$r50" "$r99" "$r999"
  done | tee -a "$OUT/throughput.txt"
done

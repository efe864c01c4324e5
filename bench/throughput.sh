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

# Parses redis-benchmark's full output into "test rps p50 p99 p999" lines.
parse() {
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

printf "%-8s %-4s %12s %12s %7s | %8s %8s %8s | %8s %8s %8s\n" test P amdc_rps redis_rps ratio a_p50 a_p99 a_p999 r_p50 r_p99 r_p999 | tee "$OUT/throughput.txt"
for P in 1 16; do
  redis-benchmark -p "$AMDC_PORT" -t "$TESTS" -n "$N" -r 100000 -d 64 -c 50 -P "$P" > "$OUT/amdc-P$P.raw" 2>/dev/null
  redis-benchmark -p "$REDIS_PORT" -t "$TESTS" -n "$N" -r 100000 -d 64 -c 50 -P "$P" > "$OUT/redis-P$P.raw" 2>/dev/null
  tr '\r' '\n' < "$OUT/amdc-P$P.raw" > "$OUT/amdc-P$P.txt"
  tr '\r' '\n' < "$OUT/redis-P$P.raw" > "$OUT/redis-P$P.txt"
  paste -d' ' <(parse "$OUT/amdc-P$P.txt") <(parse "$OUT/redis-P$P.txt") | while read -r t ar a50 a99 a999 _ rr r50 r99 r999; do
    printf "%-8s %-4s %12s %12s %7s | %8s %8s %8s | %8s %8s %8s\n" "$t" "$P" "$ar" "$rr" "$(ratio "$ar" "$rr")" "$a50" "$a99" "$a999" "$r50" "$r99" "$r999"
  done | tee -a "$OUT/throughput.txt"
done

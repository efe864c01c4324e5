#!/usr/bin/env bash
# Tail latency while the server does background work, AMDC vs redis-server side by side:
#   eviction  both run with maxmemory 64mb allkeys-lru and a dataset far larger, so every SET evicts
#   bgsave    a 1M-key dataset, BGSAVE started while the load runs (Redis forks; AMDC snapshots slots)
# The load is moderate (10 clients, no pipelining, well under saturation) so latency reflects
# pauses rather than queueing. Prints p50/p99/p99.9 (ms), plus resident memory before/during BGSAVE.
. "$(dirname "$0")/common.sh"
N=${N:-300000}
MODE=${MODE:-eviction bgsave}

load() { # port -> "p50 p99 p999" of SET+GET at moderate load
  redis-benchmark -p "$1" -t set,get -n "$N" -r 5000000 -d 64 -c 10 -P 1 2>/dev/null | tr '\r' '\n' > "$OUT/lat-$1.txt"
  bench_parse "$OUT/lat-$1.txt"
}

for mode in $MODE; do
  PIDS=()
  if [ "$mode" = eviction ]; then
    start_amdc --maxmemory 64mb --maxmemory-policy allkeys-lru
    start_redis --maxmemory 64mb --maxmemory-policy allkeys-lru
    for port in $AMDC_PORT $REDIS_PORT; do
      redis-benchmark -p "$port" -t set -n 2000000 -r 5000000 -d 64 -c 20 -P 16 -q >/dev/null 2>&1
      # A pass of the measured load itself: switching from the pipelined fill to one request per
      # client recompiles AMDC's hot paths (C2 took 0.46 s of CPU in the measured window without it).
      redis-benchmark -p "$port" -t set,get -n $((N / 2)) -r 5000000 -d 64 -c 10 -P 1 -q >/dev/null 2>&1
    done
    echo "== eviction (maxmemory 64mb, allkeys-lru, every SET evicts)" | tee -a "$OUT/latency-under-load.txt"
    for side in amdc redis; do
      port=$([ $side = amdc ] && echo $AMDC_PORT || echo $REDIS_PORT)
      load "$port" | while read -r t rps p50 p99 p999; do
        printf "%-6s %-4s rps=%-10s p50=%-6s p99=%-6s p99.9=%-6s\n" $side "$t" "$rps" "$p50" "$p99" "$p999"
      done | tee -a "$OUT/latency-under-load.txt"
      echo "$side $(redis-cli -p "$port" info stats | grep evicted_keys | tr -d '\r')" | tee -a "$OUT/latency-under-load.txt"
    done
  else
    # Fresh directories: a dump left by an earlier run would be loaded first.
    SAVE_DIR=$(mktemp -d)
    start_amdc --dir "$SAVE_DIR"
    start_redis --dir "$SAVE_DIR" --dbfilename redis-dump.rdb
    for port in $AMDC_PORT $REDIS_PORT; do
      redis-benchmark -p "$port" -t set -n 1000000 -r 1000000 -d 64 -c 20 -P 16 -q >/dev/null 2>&1
    done
    echo "== bgsave (1M keys, BGSAVE during the load)" | tee -a "$OUT/latency-under-load.txt"
    for side in amdc redis; do
      if [ $side = amdc ]; then port=$AMDC_PORT; pid=$AMDC_PID; else port=$REDIS_PORT; pid=$REDIS_PID; fi
      for quiet in baseline during; do
        before=$(rss_bytes "$pid")
        if [ $quiet = during ]; then (sleep 0.3; redis-cli -p "$port" bgsave >/dev/null) & fi
        peak=$before
        ( while sleep 0.05; do r=$(rss_bytes "$pid" 2>/dev/null || echo 0); echo "$r"; done ) > "$OUT/rss-$port.txt" &
        sampler=$!
        res=$(load "$port")
        kill $sampler 2>/dev/null; wait $sampler 2>/dev/null || true
        peak=$(sort -n "$OUT/rss-$port.txt" | tail -1)
        # Redis's copy-on-write pages live in its forked child, not in this RSS: see rdb_last_cow_size below.
        echo "$res" | while read -r t rps p50 p99 p999; do
          printf "%-6s %-8s %-4s p50=%-6s p99=%-6s p99.9=%-6s rss_before=%sMB rss_peak=%sMB\n" $side $quiet "$t" \
            "$p50" "$p99" "$p999" $((before / 1048576)) $((peak / 1048576))
        done | tee -a "$OUT/latency-under-load.txt"
        until [ "$(redis-cli -p "$port" info persistence | grep -c 'rdb_bgsave_in_progress:0')" = 1 ]; do sleep 0.1; done
      done
      echo "$side $(redis-cli -p "$port" info persistence | grep rdb_last_cow_size | tr -d '\r')" | tee -a "$OUT/latency-under-load.txt"
    done
  fi
  stop_all
  [ -n "${SAVE_DIR:-}" ] && rm -rf "$SAVE_DIR"
done

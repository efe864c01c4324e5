#!/usr/bin/env bash
# PUBLISH fan-out, AMDC vs redis-server, same load in one run: SUBSCRIBERS connections (default
# 100) subscribe to one channel, redis-benchmark publishes N messages of D bytes from 10
# connections (pipelined -P), and a small Python reader counts what every subscriber receives.
# Prints publishes/s, delivered messages/s (publishes x subscribers) and the AMDC/Redis ratio
# (>1 means AMDC is faster).
. "$(dirname "$0")/common.sh"
N=${N:-200000}
D=${D:-64}
P=${P:-16}
SUBSCRIBERS=${SUBSCRIBERS:-100}
command -v python3 >/dev/null || { echo "python3 is needed"; exit 1; }
start_amdc
start_redis

PAYLOAD=$(python3 -c "print('x' * $D)")

# Subscribers: connect, SUBSCRIBE, report "ready", then count received bytes until every one got
# its N messages (or a timeout), and print "<messages> <seconds from first to last byte>".
cat > "$OUT/pubsub_sub.py" <<'PY'
import asyncio, sys, time
port, subs, n, d = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
chan = b"bench"
confirm = b"*3\r\n$9\r\nsubscribe\r\n$5\r\nbench\r\n:1\r\n"
frame = len(b"*3\r\n$7\r\nmessage\r\n$5\r\nbench\r\n$%d\r\n" % d) + d + 2
got = [0] * subs
times = [None, None]
async def one(i, ready):
    r, w = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
    w.write(b"*2\r\n$9\r\nSUBSCRIBE\r\n$5\r\nbench\r\n")
    await w.drain()
    await r.readexactly(len(confirm))
    ready.append(i)
    want = n * frame
    while got[i] < want:
        b = await r.read(1 << 18)
        if not b:
            break
        now = time.perf_counter()
        if times[0] is None:
            times[0] = now
        times[1] = now
        got[i] += len(b)
    w.close()
async def main():
    ready = []
    tasks = [asyncio.create_task(one(i, ready)) for i in range(subs)]
    while len(ready) < subs:
        await asyncio.sleep(0.01)
    print("ready", flush=True)
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=300)
    except asyncio.TimeoutError:
        pass
    msgs = sum(g // frame for g in got)
    secs = (times[1] - times[0]) if times[0] else 0
    print(msgs, f"{secs:.3f}", flush=True)
asyncio.run(main())
PY

# Runs one server's fan-out; prints "publish_rps delivered_per_sec delivered_fraction".
run() {
  local port=$1 fifo="$OUT/pubsub.fifo"
  rm -f "$fifo"; mkfifo "$fifo"
  python3 "$OUT/pubsub_sub.py" "$port" "$SUBSCRIBERS" "$N" "$D" > "$fifo" &
  local sub=$!
  exec 3<"$fifo"
  read -r _ <&3   # "ready"
  local pub
  pub=$(redis-benchmark -p "$port" -n "$N" -c 10 -P "$P" -q publish bench "$PAYLOAD" 2>/dev/null | tr '\r' '\n' \
        | awk '/requests per second/ {for (i = 1; i <= NF; i++) if ($(i + 1) == "requests") print $i}' | tail -1)
  local msgs secs
  read -r msgs secs <&3
  exec 3<&-
  wait "$sub" 2>/dev/null || true
  rm -f "$fifo"
  python3 -c "import sys; m, s, total = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]); print(sys.argv[4], f'{m / s:.0f}' if s else 'nan', f'{m / total:.3f}')" \
    "$msgs" "$secs" "$((N * SUBSCRIBERS))" "$pub"
}

# Warm the JVM's JIT with a smaller pass; Redis gets the same pass.
N_MEASURE=$N
N=$((N_MEASURE / 4))
run "$AMDC_PORT" >/dev/null
run "$REDIS_PORT" >/dev/null
N=$N_MEASURE

read -r a_pub a_del a_frac < <(run "$AMDC_PORT")
read -r r_pub r_del r_frac < <(run "$REDIS_PORT")
printf "%-22s %14s %14s %7s\n" "metric (subs=$SUBSCRIBERS)" amdc redis ratio | tee "$OUT/pubsub.txt"
printf "%-22s %14s %14s %7s\n" "publish/s" "$a_pub" "$r_pub" "$(ratio "$a_pub" "$r_pub")" | tee -a "$OUT/pubsub.txt"
printf "%-22s %14s %14s %7s\n" "delivered msgs/s" "$a_del" "$r_del" "$(ratio "$a_del" "$r_del")" | tee -a "$OUT/pubsub.txt"
printf "%-22s %14s %14s\n" "delivered fraction" "$a_frac" "$r_frac" | tee -a "$OUT/pubsub.txt"

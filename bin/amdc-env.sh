# Sourced by the launchers and the Makefile: finds a JDK 21+ and the jars.
# JAVA_HOME wins when it is 21 or newer; otherwise the newest JDK under /usr/lib/jvm.

amdc_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2; exit}'
}

amdc_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ -x "$JAVA_HOME/bin/javac" -o -n "${AMDC_RUNTIME_ONLY:-}" ]; then
    local v; v=$(amdc_java_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 21 ] 2>/dev/null; then echo "$JAVA_HOME"; return 0; fi
  fi
  local best="" bestv=0 d v
  for d in /usr/lib/jvm/*/ "$HOME"/.sdkman/candidates/java/*/ /opt/java/*/; do
    d=${d%/}
    [ -x "$d/bin/java" ] || continue
    v=$(amdc_java_major "$d")
    [ -n "$v" ] || continue
    if [ "$v" -ge 21 ] 2>/dev/null && [ "$v" -gt "$bestv" ]; then best=$d; bestv=$v; fi
  done
  if [ -z "$best" ]; then
    local sys; sys=$(command -v java 2>/dev/null)
    if [ -n "$sys" ]; then
      sys=$(dirname "$(dirname "$(readlink -f "$sys")")")
      v=$(amdc_java_major "$sys")
      if [ -n "$v" ] && [ "$v" -ge 21 ] 2>/dev/null; then best=$sys; fi
    fi
  fi
  if [ -z "$best" ]; then
    echo "AMDC needs Java 21 or newer: JAVA_HOME is not set to one and none was found under /usr/lib/jvm." >&2
    echo "Install a JDK 21+ (e.g. apt-get install openjdk-21-jdk or Temurin) or set JAVA_HOME." >&2
    return 1
  fi
  echo "$best"
}

# JVM flags for a server. The collector is chosen by AMDC_GC:
#   g1  (default) compressed oops and a heap that follows the live data: the lowest resident
#       memory per key (measured on 1M small strings: ~75 B/key vs 478 B/key for ZGC, see
#       docs/architecture.md). Under load the heap keeps 10-40% free, so the young generation
#       has room; once the server goes quiet (or on MEMORY PURGE) the server runs one concurrent
#       cycle with the ratios tightened to 1-5% and trims malloc (HeapTrimmer), handing the burst
#       back to the OS. G1's own periodic cycle is not used: it also fires under load, and its
#       tight shrink then set off a storm of young collections and concurrent cycles. 1 MB
#       regions and a 2% evacuation reserve keep the committed heap close to the live data;
#       the 5 ms pause goal keeps each young collection short. Objects that survive one young
#       collection go straight to the old generation (MaxTenuringThreshold=0): in a cache what
#       survives is data that lives on, and copying it between survivor spaces up to 15 times, with
#       the old tables' cards pointing at it scanned at every collection, made young pauses 3-5 ms
#       on SET -P 16 (1-1.8 ms without) and 24-30 ms under eviction (13-23 ms without);
#   zgc generational ZGC: sub-millisecond pauses on big heaps, at several times the footprint
#       (with --io-threads 1 it keeps p99.9 under 1 ms while every write evicts, see bench/).
# Compact object headers are on wherever the JDK has them (8 bytes saved per key and value).
# Native memory: the JVM's own C heap (JIT compiler arenas, GC remembered sets, direct buffers)
# goes through glibc malloc, which keeps freed memory in its arenas. Trimming it every 2 s (JDK
# 22+) and capping the arenas at 2 hands that back to the OS after a load burst: measured on
# types-memory with a settled baseline, 100k sets of 10 ints went from 36 to 14-18 B/element
# resident, hashes from 56 to 36 (Redis: 12 and 29). A library's System.gc() runs as a
# concurrent cycle under G1, never as a stop-the-world full GC; MEMORY PURGE compacts a heap of
# up to 256 MB on purpose (HeapTrimmer), larger ones concurrently.
amdc_server_jvm_flags() {
  local jh=$1 v; v=$(amdc_java_major "$jh")
  local flags
  case "${AMDC_GC:-g1}" in
    zgc) flags="-XX:+UseZGC -XX:ZUncommitDelay=30"
         if [ "$v" -lt 23 ]; then flags="$flags -XX:+ZGenerational"; fi ;;
    *)   flags="-XX:+UseG1GC -XX:MaxGCPauseMillis=5 -XX:G1HeapRegionSize=1m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=40 -XX:G1ReservePercent=2 -XX:MaxTenuringThreshold=0" ;;
  esac
  flags="$flags -Xss1m -XX:+ExplicitGCInvokesConcurrent -XX:+PerfDisableSharedMem"
  if [ "$v" -ge 25 ]; then flags="$flags -XX:+UseCompactObjectHeaders";
  elif [ "$v" -ge 24 ]; then flags="$flags -XX:+UnlockExperimentalVMOptions -XX:+UseCompactObjectHeaders"; fi
  if [ "$v" -ge 22 ]; then flags="$flags --enable-native-access=ALL-UNNAMED -XX:TrimNativeHeapInterval=2000"; fi
  if [ "$v" -ge 24 ]; then flags="$flags --sun-misc-unsafe-memory-access=allow"; fi
  echo "$flags -Dio.netty.leakDetection.level=disabled -Dio.netty.tryReflectionSetAccessible=true"
}

# lib/ of the tar.gz, or amdc-dist/target/lib of a source tree after `make`.
amdc_lib_dir() {
  local base=$1
  if [ -d "$base/lib" ]; then echo "$base/lib"; return 0; fi
  if [ -d "$base/amdc-dist/target/lib" ]; then echo "$base/amdc-dist/target/lib"; return 0; fi
  echo "AMDC is not built: run 'make' in $base first." >&2
  return 1
}

# The AOT cache a training run leaves beside the lib directory (JDK 25+, JEP 515: classes loaded
# and linked, and method profiles, from a run under a benchmark load), so the JIT compiles the
# request path with a whole run's profile from the start instead of deoptimizing and recompiling
# as each new kind of traffic arrives. AMDC_AOT_OUTPUT=file records one (bin/amdc-aot-train);
# AMDC_AOT=no runs without it.
amdc_aot_file() {
  echo "$(dirname "$1")/amdc.aot"
}

amdc_aot_flags() {
  local jh=$1 lib=$2 v f
  v=$(amdc_java_major "$jh")
  [ -n "$v" ] && [ "$v" -ge 25 ] 2>/dev/null || return 0
  if [ -n "${AMDC_AOT_OUTPUT:-}" ]; then
    echo "-XX:AOTCacheOutput=$AMDC_AOT_OUTPUT"
    return 0
  fi
  # The training ran on the default collector; a cache recorded under other flags is refused.
  [ "${AMDC_AOT:-yes}" = no ] || [ "${AMDC_GC:-g1}" != g1 ] && return 0
  f=$(amdc_aot_file "$lib")
  # A jar rebuilt since the training would make the JVM refuse the cache with a warning.
  if [ -f "$f" ] && [ -z "$(find "$lib" -name '*.jar' -newer "$f" -print -quit 2>/dev/null)" ]; then
    echo "-XX:AOTCache=$f"
  fi
}

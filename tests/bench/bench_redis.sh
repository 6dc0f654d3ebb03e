#!/usr/bin/env bash
# Redis event bus benchmark: `oex produce --jsonl` and `oex consume --json >/dev/null` (no
# receivers) against redis-benchmark's raw XADD on the same redis-server, in the same run.
#
#   tests/bench/bench_redis.sh [path/to/oex]        (default: build/oex)
#
# Environment: N (events per run, default 100000), RUNS (runs per figure, default 5; the median is
# printed), SMALL (the short stream of the memory check, default N/10), EVENT_TYPE (default
# org.openedx.learning.course.enrollment.created.v1).
#
# What runs, on a redis-server started on a free 127.0.0.1 port in a temporary folder (no
# persistence), which is removed at the end (also on Ctrl-C):
#   - N sampled payloads (`oex sample TYPE --count N`) as one JSON Lines file;
#   - produce: `oex produce TYPE FILE --jsonl` into a fresh stream (MAXLEN larger than N, so
#     nothing is trimmed); the stream must then hold N entries;
#   - consume: `oex consume --from beginning --max N --json >/dev/null` with a new group on that
#     stream; the group must then have read everything and have nothing pending;
#   - for information, `oex validate --jsonl` of the same file: the parsing and checking produce
#     does before it sends anything, with no Redis involved;
#   - raw XADD: redis-benchmark -n N of `XADD key MAXLEN ~ M * type .. id .. source .. time ..
#     minorversion .. sourcehost .. sourcelib .. event_data ..`: the 8 fields oex writes, with
#     values of the same sizes (event_data: as many bytes as the mean encoded payload). Three
#     settings, because pipelining decides the figure: one connection pipelined 16 deep
#     (-c 1 -P 16, the reference for the ratios: oex also uses one connection and pipelines),
#     50 connections pipelined 16 deep (-c 50 -P 16, redis-benchmark's default clients: Redis's
#     ceiling on this machine), and one connection without pipelining (-c 1 -P 1: a round trip per
#     event, what a naive client gets);
#   - memory: maximum resident set size (GNU time) of produce and consume at SMALL and at N events,
#     to show whether it grows with the stream.
# Issue 9's goal: produce and consume at least 0.5x the raw XADD rate.
# Needs: redis-server, redis-tools (redis-cli, redis-benchmark), time (/usr/bin/time). Not part of ctest.
# Exit status: 0 measured (read the goal lines), 1 a correctness check failed, 2 setup error.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_NAME=bench_redis.sh
# shellcheck source=bus_bench_lib.sh
source "$here/bus_bench_lib.sh"
repo=$(cd "$here/../.." && pwd)
N=${N:-100000}
RUNS=${RUNS:-5}
SMALL=${SMALL:-$((N / 10))}
EVENT_TYPE=${EVENT_TYPE:-org.openedx.learning.course.enrollment.created.v1}
PREFIX=bench


[ $# -le 1 ] || die "usage: tests/bench/bench_redis.sh [path/to/oex]"
src_oex=${1:-$repo/build/oex}
[ -x "$src_oex" ] && [ -f "$src_oex" ] || die "$src_oex is not an executable file (build the project first, or pass the path)"
for tool in redis-server redis-cli redis-benchmark python3; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found (apt-get install -y redis-server redis-tools python3)"
done
[ -x /usr/bin/time ] || die "/usr/bin/time not found (apt-get install -y time)"
[[ "$N" =~ ^[1-9][0-9]*$ && "$RUNS" =~ ^[1-9][0-9]*$ && "$SMALL" =~ ^[1-9][0-9]*$ ]] ||
  die "N, RUNS and SMALL must be positive integers"

work=$(mktemp -d "${TMPDIR:-/tmp}/oex-bench-redis.XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# A copy, so that a rebuild of the binary during the run cannot mix two binaries into one set of figures.
cp "$src_oex" "$work/oex"
oex=$work/oex
"$oex" produce --help >/dev/null 2>&1 && "$oex" consume --help >/dev/null 2>&1 ||
  die "$src_oex has no produce/consume commands"

# --- redis-server on a free port -------------------------------------------------------------
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --dir "$work" --save '' --appendonly no \
  --daemonize no >"$work/redis.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || die "redis-server did not start: $(tail -3 "$work/redis.log")"
  sleep 0.05
done
redis-cli -p "$port" ping >/dev/null 2>&1 || die "redis-server did not answer on port $port"
rc() { redis-cli -p "$port" "$@"; }
bus=redis://127.0.0.1:$port/0
maxlen=$((N * 2))

# --- data ------------------------------------------------------------------------------------
say "sampling $N payloads of $EVENT_TYPE"
"$oex" sample "$EVENT_TYPE" --count "$N" >"$work/payloads.jsonl"
head -n "$SMALL" "$work/payloads.jsonl" >"$work/small.jsonl"
# mean encoded size over the first 200 payloads: the size of the event_data value
total=0
count=0
while IFS= read -r line && [ "$count" -lt 200 ]; do
  size=$(printf '%s' "$line" | "$oex" encode "$EVENT_TYPE" - | wc -c)
  total=$((total + size))
  count=$((count + 1))
done <"$work/payloads.jsonl"
data_size=$((total / count))

# --- helpers ---------------------------------------------------------------------------------

produce_once() {  # $1 file, $2 stream topic, $3 expected count; prints elapsed microseconds
  rc del "$PREFIX-$2" >/dev/null
  local start end
  start=$(now)
  "$oex" produce "$EVENT_TYPE" "$1" --jsonl --bus "$bus" --prefix "$PREFIX" --topic "$2" \
    --maxlen "$maxlen" >"$work/produce.out" 2>"$work/produce.err" ||
    fail "oex produce exited $?: $(tail -3 "$work/produce.err")"
  end=$(now)
  local len
  len=$(rc xlen "$PREFIX-$2")
  [ "$len" = "$3" ] || fail "after oex produce the stream holds $len entries, not $3"
  echo $((end - start))
}

consume_once() {  # $1 topic, $2 group, $3 count; prints elapsed microseconds
  local start end
  start=$(now)
  "$oex" consume --bus "$bus" --prefix "$PREFIX" --topic "$1" --group "$2" --from beginning \
    --max "$3" --idle 30 --json >/dev/null 2>"$work/consume.err" ||
    fail "oex consume exited $?: $(tail -3 "$work/consume.err")"
  end=$(now)
  local pending
  pending=$(rc xpending "$PREFIX-$1" "$2" | head -1)
  [ "$pending" = "0" ] || fail "group $2 has $pending pending messages after oex consume"
  local read
  read=$(rc xinfo groups "$PREFIX-$1" | awk -v g="$2" 'prev == "name" { name = $0 } prev == "entries-read" && name == g { print $0 } { prev = $0 }')
  [ -z "$read" ] || [ "$read" = "$3" ] || fail "group $2 read $read entries, not $3"
  echo $((end - start))
}

validate_once() {  # the CPU floor under produce: parsing and checking the same file, nothing sent
  local start end
  start=$(now)
  "$oex" validate --jsonl --quiet "$EVENT_TYPE" "$work/payloads.jsonl" >/dev/null 2>&1 || fail "oex validate --jsonl exited $?"
  end=$(now)
  echo $((end - start))
}

xadd_rate() {  # $1 clients, $2 pipeline; prints requests/s
  local value
  value=$(head -c "$data_size" /dev/zero | tr '\0' x)
  rc del rb-stream >/dev/null
  redis-benchmark -p "$port" -n "$N" -c "$1" -P "$2" -q --csv \
    XADD rb-stream MAXLEN '~' "$maxlen" '*' type "$EVENT_TYPE" id 6ba7b810-9dad-11d1-80b4-00c04fd430c8 \
    source openedx/SERVICE_NAME_UNSET/web time 2026-11-28T12:00:00.123456+00:00 minorversion 0 \
    sourcehost "$(hostname)" sourcelib 11.2.0 event_data "$value" |
    awk -F'","' 'NR == 2 { gsub(/"/, "", $2); printf "%.0f\n", $2 }'
}

max_rss() {  # command...; prints the maximum resident set size in kB
  /usr/bin/time -v "$@" >/dev/null 2>"$work/time.err" || fail "$* exited $?: $(grep -v '^\s' "$work/time.err" | tail -3)"
  awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.err"
}

# --- the runs ----------------------------------------------------------------------------------
say "redis-server $(redis-server --version | awk '{ print $3 }') on port $port; $RUNS runs of $N events; mean event_data $data_size bytes"
: >"$work/p.us"; : >"$work/c.us"; : >"$work/v.us"; : >"$work/x1.rps"; : >"$work/x50.rps"; : >"$work/xnp.rps"
for run in $(seq "$RUNS"); do
  say "run $run/$RUNS"
  produce_once "$work/payloads.jsonl" t "$N" >>"$work/p.us"
  consume_once t "g$run" "$N" >>"$work/c.us"
  validate_once >>"$work/v.us"
  xadd_rate 1 16 >>"$work/x1.rps"
  xadd_rate 50 16 >>"$work/x50.rps"
  xadd_rate 1 1 >>"$work/xnp.rps"
done
p_rate=$(rate "$N" "$(median <"$work/p.us")")
c_rate=$(rate "$N" "$(median <"$work/c.us")")
v_rate=$(rate "$N" "$(median <"$work/v.us")")
x1=$(median <"$work/x1.rps")
x50=$(median <"$work/x50.rps")
xnp=$(median <"$work/xnp.rps")

say "memory: $SMALL and $N events"
rc del "$PREFIX-m" >/dev/null
p_small=$(max_rss "$oex" produce "$EVENT_TYPE" "$work/small.jsonl" --jsonl --bus "$bus" --prefix "$PREFIX" --topic m --maxlen "$maxlen")
c_small=$(max_rss "$oex" consume --bus "$bus" --prefix "$PREFIX" --topic m --group ms --from beginning --max "$SMALL" --idle 30 --json)
rc del "$PREFIX-m" >/dev/null
p_big=$(max_rss "$oex" produce "$EVENT_TYPE" "$work/payloads.jsonl" --jsonl --bus "$bus" --prefix "$PREFIX" --topic m --maxlen "$maxlen")
c_big=$(max_rss "$oex" consume --bus "$bus" --prefix "$PREFIX" --topic m --group mb --from beginning --max "$N" --idle 30 --json)

cat <<EOF
Redis event bus, $N events of $EVENT_TYPE (event_data ~$data_size bytes), median of $RUNS runs
redis-server $(redis-server --version | awk '{ print $3 }'), one 127.0.0.1 server, $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)

| what | events/s | vs raw XADD -c 1 -P 16 | vs -c 50 -P 16 | vs -c 1 -P 1 |
| --- | ---: | ---: | ---: | ---: |
| oex produce --jsonl | $p_rate | $(ratio "$p_rate" "$x1")x | $(ratio "$p_rate" "$x50")x | $(ratio "$p_rate" "$xnp")x |
| oex consume --json >/dev/null | $c_rate | $(ratio "$c_rate" "$x1")x | $(ratio "$c_rate" "$x50")x | $(ratio "$c_rate" "$xnp")x |
| oex validate --jsonl (no Redis; for information) | $v_rate | $(ratio "$v_rate" "$x1")x | | |
| redis-benchmark XADD, 1 connection, pipeline 16 | $x1 | 1.00x | | |
| redis-benchmark XADD, 50 connections, pipeline 16 | $x50 | | 1.00x | |
| redis-benchmark XADD, 1 connection, no pipelining | $xnp | | | 1.00x |

| max RSS (kB) | $SMALL events | $N events | ratio |
| --- | ---: | ---: | ---: |
| oex produce --jsonl | $p_small | $p_big | $(ratio "$p_big" "$p_small") |
| oex consume --json | $c_small | $c_big | $(ratio "$c_big" "$c_small") |

per run (events/s, in run order): produce $(per_run_rates "$work/p.us"); consume $(per_run_rates "$work/c.us")
per run (XADD/s): -c 1 -P 16: $(tr '\n' ' ' <"$work/x1.rps"); -c 50 -P 16: $(tr '\n' ' ' <"$work/x50.rps"); -c 1 -P 1: $(tr '\n' ' ' <"$work/xnp.rps")

goal (issue 9): produce >= 0.5x raw XADD (1 connection, pipeline 16): $(ratio "$p_rate" "$x1")x $(goal_met "$p_rate" "$x1")
goal (issue 9): consume >= 0.5x raw XADD (1 connection, pipeline 16): $(ratio "$c_rate" "$x1")x $(goal_met "$c_rate" "$x1")
goal (issue 9): memory flat in stream length ($SMALL -> $N events): produce $(ratio "$p_big" "$p_small")x, consume $(ratio "$c_big" "$c_small")x
EOF

#!/usr/bin/env bash
# Kafka event bus benchmark: `oex produce --jsonl` and `oex consume --json >/dev/null` (no
# receivers) against kcat producing and consuming the same framed bytes, on librdkafka's mock
# cluster, in the same run.
#
#   tests/bench/bench_kafka.sh [path/to/oex]        (default: build/oex)
#
# Environment: N (events per run, default 100000), RUNS (default 5; medians are printed, with the
# per-run figures), PARTITIONS (of each topic, default 32), EVENT_TYPE (default org.openedx.learning.course.enrollment.created.v1),
# MOCK_CLUSTER (default build/tools/kafka_mock_cluster), REGISTRY (default
# tests/tools/schema_registry.py, the project's registry test double).
#
# Each run, on one mock cluster (one broker, topics of PARTITIONS partitions, default 32) and
# one registry double started here on 127.0.0.1 and stopped at the end:
#   - oex produce: `oex produce TYPE FILE --jsonl` of N sampled payloads into a new topic (it
#     waits for every delivery report); the topic must then hold N messages;
#   - kcat consume: `kcat -C -o beginning -c N` of that topic, keys, values and headers formatted
#     to /dev/null (a plain consumer: no group, no commits; the fastest way to read);
#   - kcat produce: the same framed keys and values (0x00, schema id, Avro: dumped from the topic
#     oex wrote, untimed) with the same 10 headers, `kcat -P -l FILE` into another new topic
#     (kcat also waits for delivery at exit); that topic must then hold N messages;
#   - kcat produce, idempotent: the same with `-X enable.idempotence=true`, the producer guarantee
#     oex produce has (no duplicate or reordered message after a retry), into a third topic. The
#     plain kcat -P row stays the goal's measure;
#   - oex consume: `oex consume --from beginning --max N --json >/dev/null` with a new group on
#     the topic oex wrote (commits after each message is handled; decodes and prints every event).
#   - oex consume --no-group: `oex consume --no-group --from beginning --max N --json >/dev/null`
#     of the same topic: every partition read with no group and no commits, as kcat -C reads (the
#     like-for-like group-less comparison; decodes and prints every event);
#   - every consume (oex, kcat -C, kcat -G) is also timed from its first output to its last (its
#     standard output written to a file, watched by stream_times.py: a pipe made the consumer wait
#     for the reader, some 1,600 times for oex's 100 MB): the steady phase, without start-up and a
#     group's join; and its CPU time (user + system), which other work on the machine does not
#     change as it does the wall-clock figures;
#   - kcat group consume: `kcat -G GROUP -c N` of the same topic with a new group, formatted as
#     above: a consumer-group member, as oex consume is. A new group's first join costs 3 s on
#     the mock cluster (its fixed initial rebalance delay, librdkafka 2.0's mock has no setting for
#     it; a real broker's group.initial.rebalance.delay.ms is also 3 s by default), which kcat -C
#     does not pay: both ratios are printed.
# Differences to keep in mind: oex validates, encodes and makes metadata for every event and uses
# an idempotent producer; kcat sends bytes it already has. The mock cluster keeps everything in
# memory in one process on the same CPUs.
# Issue 10's goal: oex at least 0.5x kcat, both ways. Not part of ctest.
# Needs: kcat, python3 (the registry double), the built kafka_mock_cluster.
# Exit status: 0 measured (read the goal lines), 1 a correctness check failed, 2 setup error.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_NAME=bench_kafka.sh
# shellcheck source=bus_bench_lib.sh
source "$here/bus_bench_lib.sh"
repo=$(cd "$here/../.." && pwd)
N=${N:-100000}
RUNS=${RUNS:-5}
PARTITIONS=${PARTITIONS:-32}
EVENT_TYPE=${EVENT_TYPE:-org.openedx.learning.course.enrollment.created.v1}
MOCK_CLUSTER=${MOCK_CLUSTER:-$repo/build/tools/kafka_mock_cluster}
REGISTRY=${REGISTRY:-$repo/tests/tools/schema_registry.py}
# kcat splits its input file on these (multi-character, so that Avro bytes will not hold them; the
# count of messages is checked after every step)
MSG_DELIM='<~oex-bench-message~>'
KEY_DELIM='<~oex-bench-key~>'


[ $# -le 1 ] || die "usage: tests/bench/bench_kafka.sh [path/to/oex]"
src_oex=${1:-$repo/build/oex}
[ -x "$src_oex" ] && [ -f "$src_oex" ] || die "$src_oex is not an executable file (build the project first, or pass the path)"
[ -x "$MOCK_CLUSTER" ] || die "$MOCK_CLUSTER not found (build the project: target kafka_mock_cluster)"
[ -f "$REGISTRY" ] || die "$REGISTRY not found"
for tool in kcat python3; do command -v "$tool" >/dev/null 2>&1 || die "$tool not found (apt-get install -y $tool)"; done
[[ "$N" =~ ^[1-9][0-9]*$ && "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "N and RUNS must be positive integers"

work=$(mktemp -d "${TMPDIR:-/tmp}/oex-bench-kafka.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cp "$src_oex" "$work/oex"  # a rebuild during the run cannot mix two binaries into one set of figures
oex=$work/oex
"$oex" produce --help >/dev/null 2>&1 && "$oex" consume --help >/dev/null 2>&1 ||
  die "$src_oex has no produce/consume commands"

# --- the mock cluster and the registry double: each prints its address as its first line ---------
start_helper() {  # $1 name, then the command; sets $address
  local out=$work/$1.out
  mkfifo "$work/$1.in"
  "${@:2}" <"$work/$1.in" >"$out" 2>"$work/$1.err" &
  pids+=($!)
  exec {hold}>"$work/$1.in"  # keeps its standard input open until this script ends
  for _ in $(seq 200); do
    address=$(head -n 1 "$out" 2>/dev/null || true)
    [ -n "$address" ] && return 0
    sleep 0.05
  done
  die "$1 did not start: $(tail -3 "$work/$1.err")"
}
# The mock cluster keeps only the last few MB of each partition (about 8,600 of these messages), so
# the benchmark's topics get PARTITIONS (32) partitions: room for N = 100,000, readable from the first.
topics=()
for run in $(seq "$RUNS"); do
  topics+=(--topic "oex-$run:$PARTITIONS" --topic "kcat-$run:$PARTITIONS" --topic "kcati-$run:$PARTITIONS")
done
start_helper cluster "$MOCK_CLUSTER" "${topics[@]}"
bootstrap=$address
start_helper registry python3 "$REGISTRY"
registry=$address
say "mock cluster $bootstrap, registry $registry"

# --- data -----------------------------------------------------------------------------------------
say "sampling $N payloads of $EVENT_TYPE"
"$oex" sample "$EVENT_TYPE" --count "$N" >"$work/payloads.jsonl"

count_messages() {  # $1 topic: how many messages can be read from it (with kcat, from the beginning)
  kcat -C -b "$bootstrap" -t "$1" -o beginning -e -q -f 'm\n' 2>/dev/null | wc -l
}
timed() {  # $1 file to append microseconds to, then the command (stdout to /dev/null)
  local start end
  start=$(now)
  "${@:2}" >/dev/null 2>"$work/step.err" || fail "$2 exited $?: $(tail -3 "$work/step.err")"
  end=$(now)
  echo $((end - start)) >>"$1"
}
# $1 a file prefix, then a consumer command: its wall time (start to exit) goes to $1.us, the time
# from its first output to its last (the steady phase, after start-up and any group join) to
# $1.steady.us, the time to its first output to $1.first.us and its CPU time to $1.cpu.us; its
# output goes to a file, then is dropped (tests/bench/stream_times.py).
timed_stream() {
  : >"$work/times"
  python3 "$here/stream_times.py" "$work/times" "${@:2}" 2>"$work/step.err" ||
    fail "$2 exited $?: $(tail -3 "$work/step.err")"
  local total first last cpu
  read -r total first last cpu <"$work/times"
  [ "$first" -ge 0 ] && [ "$last" -gt "$first" ] || fail "$2 wrote no output, or all of it at once"
  echo "$total" >>"$1.us"
  echo $((last - first)) >>"$1.steady.us"
  echo "$first" >>"$1.first.us"
  echo "$cpu" >>"$1.cpu.us"
}

headers=(-H ce_specversion=1.0 -H content-type=application/avro -H ce_datacontenttype=application/avro
         -H "ce_type=$EVENT_TYPE" -H ce_id=6ba7b810-9dad-11d1-80b4-00c04fd430c8
         -H ce_source=openedx/SERVICE_NAME_UNSET/web -H ce_time=2026-11-28T12:00:00.123456+00:00
         -H ce_minorversion=0 -H "sourcehost=$(hostname)" -H sourcelib=11.2.0)

: >"$work/op.us"; : >"$work/kp.us"; : >"$work/ki.us"
for f in oc on kc kg; do for m in us steady.us first.us cpu.us; do : >"$work/$f.$m"; done; done
for run in $(seq "$RUNS"); do
  say "run $run/$RUNS"
  timed "$work/op.us" "$oex" produce "$EVENT_TYPE" "$work/payloads.jsonl" --jsonl --bus "kafka://$bootstrap" \
    --registry "$registry" --topic "oex-$run"
  [ "$(count_messages "oex-$run")" = "$N" ] || fail "topic oex-$run does not hold $N messages after oex produce"

  timed_stream "$work/kc" kcat -C -b "$bootstrap" -t "oex-$run" -o beginning -c "$N" -q -f '%k %s %h\n'
  timed_stream "$work/kg" kcat -G "kcat-bench-$run" -b "$bootstrap" -X auto.offset.reset=earliest -c "$N" -q \
    -f '%k %s %h\n' "oex-$run"
  kcat -C -b "$bootstrap" -t "oex-$run" -o beginning -c "$N" -q -f "%k$KEY_DELIM%s$MSG_DELIM" >"$work/framed"
  timed "$work/kp.us" kcat -P -b "$bootstrap" -t "kcat-$run" -D "$MSG_DELIM" -K "$KEY_DELIM" "${headers[@]}" \
    -l "$work/framed"
  [ "$(count_messages "kcat-$run")" = "$N" ] || fail "topic kcat-$run does not hold $N messages after kcat -P"
  timed "$work/ki.us" kcat -P -X enable.idempotence=true -b "$bootstrap" -t "kcati-$run" -D "$MSG_DELIM" \
    -K "$KEY_DELIM" "${headers[@]}" -l "$work/framed"
  [ "$(count_messages "kcati-$run")" = "$N" ] || fail "topic kcati-$run does not hold $N messages after kcat -P (idempotent)"

  timed_stream "$work/oc" "$oex" consume --bus "kafka://$bootstrap" --registry "$registry" --topic "oex-$run" \
    --group "bench-$run" --from beginning --max "$N" --idle 60 --json
  timed_stream "$work/on" "$oex" consume --bus "kafka://$bootstrap" --registry "$registry" --topic "oex-$run" \
    --no-group --from beginning --max "$N" --idle 60 --json
done

op=$(rate "$N" "$(median <"$work/op.us")"); kp=$(rate "$N" "$(median <"$work/kp.us")")
ki=$(rate "$N" "$(median <"$work/ki.us")")
oc=$(rate "$N" "$(median <"$work/oc.us")"); kc=$(rate "$N" "$(median <"$work/kc.us")")
on=$(rate "$N" "$(median <"$work/on.us")"); ons=$(rate "$N" "$(median <"$work/on.steady.us")")
onc=$(rate "$N" "$(median <"$work/on.cpu.us")")
kg=$(rate "$N" "$(median <"$work/kg.us")")
ocs=$(rate "$N" "$(median <"$work/oc.steady.us")"); kcs=$(rate "$N" "$(median <"$work/kc.steady.us")")
kgs=$(rate "$N" "$(median <"$work/kg.steady.us")")
occ=$(rate "$N" "$(median <"$work/oc.cpu.us")"); kcc=$(rate "$N" "$(median <"$work/kc.cpu.us")")
kgc=$(rate "$N" "$(median <"$work/kg.cpu.us")")
seconds() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000000 }'; }
first_s() { seconds "$(median <"$work/$1.first.us")"; }
framed_size=$(($(wc -c <"$work/framed") / N))
cat <<EOF
Kafka event bus, $N events of $EVENT_TYPE (~$framed_size bytes of key + value each), median of $RUNS runs
librdkafka mock cluster (1 broker, $PARTITIONS partitions), $(kcat -V 2>&1 | sed -n 's/^Version \([^ ]*\) (.*\(librdkafka [^ ]*\).*/kcat \1, \2/p' | head -1), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)

| what | events/s | kcat events/s | ratio |
| --- | ---: | ---: | ---: |
| produce: oex produce --jsonl / kcat -P -l (same framed bytes, same headers) | $op | $kp | $(ratio "$op" "$kp")x |
| produce, both idempotent: oex produce --jsonl / kcat -P -X enable.idempotence=true | $op | $ki | $(ratio "$op" "$ki")x |
| consume: oex consume --json >/dev/null / kcat -C -f '%k %s %h' >/dev/null | $oc | $kc | $(ratio "$oc" "$kc")x |
| consume, both in a new group: oex consume / kcat -G (same format) | $oc | $kg | $(ratio "$oc" "$kg")x |
| consume, both without a group: oex consume --no-group / kcat -C (same format) | $on | $kc | $(ratio "$on" "$kc")x |

Consume, steady phase: N / the time from the first output to the last (start-up and a group's join
excluded; output to a file; the first buffer of output, ~0.1% of N, counts as written at once), and
N / the consumer's CPU time (user + system, the whole run: what other work on the machine leaves alone)

| consumer | events/s, first to last message | ratio oex / it | events/s of CPU time | ratio oex / it | seconds to the first message | seconds in all |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| oex consume --json (new group) | $ocs | 1.00x | $occ | 1.00x | $(first_s oc) | $(seconds "$(median <"$work/oc.us")") |
| oex consume --no-group --json | $ons | $(ratio "$ocs" "$ons")x | $onc | $(ratio "$occ" "$onc")x | $(first_s on) | $(seconds "$(median <"$work/on.us")") |
| kcat -C (no group) | $kcs | $(ratio "$ocs" "$kcs")x | $kcc | $(ratio "$occ" "$kcc")x | $(first_s kc) | $(seconds "$(median <"$work/kc.us")") |
| kcat -G (new group) | $kgs | $(ratio "$ocs" "$kgs")x | $kgc | $(ratio "$occ" "$kgc")x | $(first_s kg) | $(seconds "$(median <"$work/kg.us")") |

per run (events/s): oex produce $(per_run_rates "$work/op.us"); kcat -P $(per_run_rates "$work/kp.us"); kcat -P idempotent $(per_run_rates "$work/ki.us"); oex consume $(per_run_rates "$work/oc.us"); oex consume --no-group $(per_run_rates "$work/on.us"); kcat -C $(per_run_rates "$work/kc.us"); kcat -G $(per_run_rates "$work/kg.us")
per run, steady (events/s): oex consume $(per_run_rates "$work/oc.steady.us"); oex consume --no-group $(per_run_rates "$work/on.steady.us"); kcat -C $(per_run_rates "$work/kc.steady.us"); kcat -G $(per_run_rates "$work/kg.steady.us")
per run, CPU time (events/s): oex consume $(per_run_rates "$work/oc.cpu.us"); oex consume --no-group $(per_run_rates "$work/on.cpu.us"); kcat -C $(per_run_rates "$work/kc.cpu.us"); kcat -G $(per_run_rates "$work/kg.cpu.us")

goal (issue 10): oex produce >= 0.5x kcat: $(ratio "$op" "$kp")x $(goal_met "$op" "$kp") (kcat -P); $(ratio "$op" "$ki")x $(goal_met "$op" "$ki") (kcat -P, idempotent as oex)
goal (issue 10): oex consume >= 0.5x kcat: $(ratio "$oc" "$kc")x $(goal_met "$oc" "$kc") (kcat -C, no group); $(ratio "$oc" "$kg")x $(goal_met "$oc" "$kg") (kcat -G, a group member)
steady phase, oex consume / kcat: $(ratio "$ocs" "$kcs")x $(goal_met "$ocs" "$kcs") (kcat -C); $(ratio "$ocs" "$kgs")x $(goal_met "$ocs" "$kgs") (kcat -G)
CPU time, oex consume / kcat: $(ratio "$occ" "$kcc")x $(goal_met "$occ" "$kcc") (kcat -C); $(ratio "$occ" "$kgc")x $(goal_met "$occ" "$kgc") (kcat -G)
without a group, oex consume --no-group / kcat -C: total $(ratio "$on" "$kc")x $(goal_met "$on" "$kc"); steady $(ratio "$ons" "$kcs")x $(goal_met "$ons" "$kcs"); CPU time $(ratio "$onc" "$kcc")x $(goal_met "$onc" "$kcc")
EOF

# Shared by bench_redis.sh and bench_kafka.sh (sourced, not run): messages, timing and figures.
# The sourcing script sets BENCH_NAME (for messages) and N (events per run) first.

say() { printf '[%s] %s\n' "$BENCH_NAME" "$*" >&2; }
die() { printf '%s: error: %s\n' "$BENCH_NAME" "$*" >&2; exit 2; }
fail() { printf '%s: check failed: %s\n' "$BENCH_NAME" "$*" >&2; exit 1; }

now() { printf '%s' "${EPOCHREALTIME/[.,]/}"; }  # microseconds
# the median of the numbers on standard input, one a line
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.0f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
rate() { awk -v n="$1" -v us="$2" 'BEGIN { printf "%.0f\n", n * 1000000 / us }'; }  # $1 events in $2 us
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
per_run_rates() { while read -r us; do printf '%s ' "$(rate "$N" "$us")"; done <"$1"; }  # a file of us
goal_met() { awk -v a="$1" -v b="$2" 'BEGIN { print (a >= b / 2) ? "met" : "NOT met" }'; }  # a >= 0.5 b

# oex gets its bus from the command line only: an operator's settings in the shell (a topic prefix,
# a stream length) would change what is measured or where the checks look.
unset "${!EVENT_BUS_@}"

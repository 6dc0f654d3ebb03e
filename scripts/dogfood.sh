#!/usr/bin/env bash
# Runs oex over its own catalog: every command on every event type must succeed.
#   scripts/dogfood.sh [path/to/oex]
set -euo pipefail
oex=${1:-build/oex}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

count=0
while read -r type; do
  "$oex" show "$type" >/dev/null
  "$oex" show --json "$type" >/dev/null
  "$oex" metadata "$type" --time 2026-01-01T00:00:00Z >/dev/null
  if "$oex" list --names --avro-only "$type" | grep -qx "$type"; then
    "$oex" schema "$type" >/dev/null
  fi
  count=$((count + 1))
done < <("$oex" list --names)
"$oex" list --json >/dev/null
"$oex" schema --all --out "$out" 2>/dev/null
echo "dogfood: $count event types: show, metadata and schema all ran"

#!/usr/bin/env bash
# The memory-by-design tests 20 times in a row while two busy processes keep both cores loaded:
# their counts must not depend on timing, load or the garbage collector. Run after `pnpm build`:
#   bash scripts/memory-under-load.sh [runs]
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
timeout 7200 node -e 'for (;;) {}' & busy1=$!
timeout 7200 node -e 'for (;;) {}' & busy2=$!
trap 'kill $busy1 $busy2 2>/dev/null' EXIT
passed=0
failed=0
for i in $(seq 1 "$runs"); do
  log=$(mktemp)
  if npx vitest run --project backend-wasm --project training \
    test/memory-by-design.test.ts src/memory.test.ts > "$log" 2>&1; then
    passed=$((passed + 1))
    echo "run $i: passed $(grep -E 'Tests ' "$log" | sed 's/\x1b\[[0-9;]*m//g' | xargs)"
  else
    failed=$((failed + 1))
    echo "run $i: FAILED (log: $log)"
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# `npm test` (docs/testing.md): three things side by side, then the browser tests once all passed —
#  - typecheck and lint (`npm run checks`) at lower priority: they take the CPU vitest leaves idle;
#  - the chaos tests (vitest project `chaos`, one file at a time) in a vitest of their own: they
#    mostly wait on worker processes, faults and timers, so they need little CPU, only not to hold
#    one of the two workers of the other projects for minutes;
#  - vitest's `unit` and `integration` projects, two files at a time, output shown as it comes.
# The checks' and the chaos tests' output is printed once vitest is done.
set -u
checks_log=$(mktemp)
chaos_log=$(mktemp)
trap 'rm -f "$checks_log" "$chaos_log"' EXIT

nice -n 10 npm run checks >"$checks_log" 2>&1 &
checks=$!
vitest run --project chaos >"$chaos_log" 2>&1 &
chaos=$!
vitest run --project unit --project integration
tests=$?
wait "$chaos"
chaos_ok=$?
wait "$checks"
checks_ok=$?

echo "── chaos tests (vitest --project chaos) ──"
cat "$chaos_log"
echo "── typecheck and lint (npm run checks) ──"
cat "$checks_log"
[ "$tests" -eq 0 ] && [ "$chaos_ok" -eq 0 ] && [ "$checks_ok" -eq 0 ] || exit 1
npm run e2e

#!/usr/bin/env bash
# `npm test` (docs/testing.md): the admin UI built first, then three lanes side by side —
#  - typecheck and lint (`npm run checks`) at lower priority: they take the CPU vitest leaves idle;
#  - the side lane: the chaos test's three seeds (vitest project `chaos`) in a vitest of their own,
#    then the browser tests (`npm run e2e`) and, beside them, the integration files that mostly wait
#    on worker processes and timers (project `waiting`: the SCIM chaos seed, the kill tests, the
#    lanes burst; one at a time). The chaos seeds hold most of PostgreSQL's 100 connections, so
#    nothing else of this lane runs beside them; the browser tests' one Roster and the `waiting`
#    files fit together;
#  - vitest's `unit` and `integration` projects, two files at a time, output shown as it comes.
# The UI is built before any of them (a few seconds, nothing when it is current): server tests read
# packages/web/dist, so it must not change under them, and the browser tests serve it. The checks'
# and the side lane's output is printed once vitest is done; every lane runs to its end, and
# `npm test` fails when any of them failed.
set -u
checks_log=$(mktemp)
chaos_log=$(mktemp)
waiting_log=$(mktemp)
e2e_log=$(mktemp)
side_status=$(mktemp)
trap 'rm -f "$checks_log" "$chaos_log" "$waiting_log" "$e2e_log" "$side_status"' EXIT

node packages/web/scripts/build-if-stale.mjs || exit 1

nice -n 10 npm run checks >"$checks_log" 2>&1 &
checks=$!
{
  vitest run --project chaos >"$chaos_log" 2>&1
  chaos_ok=$?
  vitest run --project waiting >"$waiting_log" 2>&1 &
  waiting=$!
  npm run e2e >"$e2e_log" 2>&1
  e2e_ok=$?
  wait "$waiting"
  echo "$chaos_ok $? $e2e_ok" >"$side_status"
} &
side=$!
vitest run --project unit --project integration
tests=$?
wait "$side"
read -r chaos_ok waiting_ok e2e_ok <"$side_status"
wait "$checks"
checks_ok=$?

echo "── chaos tests (vitest --project chaos) ──"
cat "$chaos_log"
echo "── waiting tests (vitest --project waiting) ──"
cat "$waiting_log"
echo "── browser tests (npm run e2e) ──"
cat "$e2e_log"
echo "── typecheck and lint (npm run checks) ──"
cat "$checks_log"
[ "$tests" -eq 0 ] && [ "${chaos_ok:-1}" -eq 0 ] && [ "${waiting_ok:-1}" -eq 0 ] && [ "${e2e_ok:-1}" -eq 0 ] && [ "$checks_ok" -eq 0 ]

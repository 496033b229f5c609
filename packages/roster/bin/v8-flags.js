// The V8 flags Roster runs with when its database is embedded (PGlite), in one place: bin/roster.js
// re-executes itself with them, and the benchmarks start their Roster processes with them.
//
// - `--liftoff-only`: once PGlite is warm, V8's optimizing compiler needs ~600 MB of compiler memory
//   for one of its functions (about 105 KB of WebAssembly) for ~2 s — the process's peak (issue 17,
//   item 5); the baseline compiler only.
// - `--max-semi-space-size=8`: Node's default young generation holds ~140 MB more.
//   With these two: the 100,000-user CSV import's peak 551 MB (was 920 MB) for 28 s of CPU (was
//   20 s); the Zendesk import's apply 81 s of CPU (was 110 s).
// - `--heap-growing-percent=200`: after a full collection V8 lets the old generation grow to up to
//   4× what survived before the next one, more the faster the process allocates. An import's live
//   heap stays near 70 MB (mostly the app; the import holds one chunk), so its peaks were that factor
//   at work on garbage: the 100,000-user Zendesk import's classification 526–545 MB (JS heap ~260 MB)
//   and the CSV import's 601 MB. Growing by 2× (V8's own ceiling on memory-constrained devices) instead:
//   classification 399–404 MB for 14.7–17.3 s of CPU (16.2–18.0 s without, same moments); by 1.5×: 373–385 MB
//   but 18.3–19.6 s (14 full collections of the ~70 MB instead of 4). The CSV import: 432–433 MB
//   (541–610 MB without) but 15–35 % more CPU on a quiet machine. 3× keeps the CPU but leaves thin
//   margins (CSV 515 MB, classification 458 MB of its 500). Kept: 3× (`=200`), because 2× cost the
//   100,000-user initial sync (job concurrency 30, quiet machine) 445.1 s against 365.4 s with 3× or
//   without the flag (one run each, 2026-12-07 17:18–17:40 UTC; peak 591 / 599 / 572 MB). README.
export const embeddedV8Flags = ['--liftoff-only', '--max-semi-space-size=8', '--heap-growing-percent=200'];

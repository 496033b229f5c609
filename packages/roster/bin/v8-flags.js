// The V8 flags Roster runs with when its database is embedded (PGlite), in one place: bin/roster.js
// re-executes itself with them, and the benchmarks start their Roster processes with them.
//
// - `--liftoff-only`: once PGlite is warm, V8's optimizing compiler needs ~600 MB of compiler memory
//   for one of its functions (about 105 KB of WebAssembly) for ~2 s — the process's peak (issue 17,
//   item 5); the baseline compiler only.
// - `--max-semi-space-size=8`: Node's default young generation holds ~140 MB more.
//   With these two: the 100,000-user CSV import's peak 551 MB (was 920 MB) for 28 s of CPU (was
//   20 s); the Zendesk import's apply 81 s of CPU (was 110 s).
// - `--heap-growing-percent=50`: after a full collection V8 lets the old generation grow to up to 4×
//   what survived before the next one, more the faster the process allocates. An import's live heap
//   stays near 70 MB (the app; the import holds one chunk), so its peaks were that factor at work on
//   garbage: the Zendesk import's classification 541 MB (JS heap 266 MB) and the CSV import's 601 MB
//   (326 MB), against 372 MB and 388 MB with the factor 1.5, for the same CPU (README Benchmarks).
export const embeddedV8Flags = ['--liftoff-only', '--max-semi-space-size=8', '--heap-growing-percent=50'];

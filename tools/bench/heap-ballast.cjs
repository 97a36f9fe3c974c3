// A preload for the anchors' raw-Node benchmarks (`node --require ./tools/bench/heap-ballast.cjs
// ...`): keeps 45,000 small objects alive from start-up, which brings a raw Node echo server's
// live heap to about 10 MB, a little more than a tsio server's. docs/performance.md ("Protocol
// echo at 10 and 100 KiB") uses it to show that the size of the heap alone slows the echo.
globalThis.__tsioBenchBallast = Array.from({ length: 45_000 }, (_, i) => ({
  i,
  s: `x${i}`,
  a: [i, i + 1],
}));

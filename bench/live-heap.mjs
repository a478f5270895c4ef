// Preloaded with `node --expose-gc --import bench/live-heap.mjs` into `shipgate eval` run with
// SHIPGATE_LOG_LEVEL=debug: when a phase line names one of $SHIPGATE_BENCH_LIVE_ON's words
// (comma-separated, default "planned,samples done"), forces a full collection and prints the
// live heap to stderr: the live set after planning and at the end of the calls (issue 13).
const words = (process.env.SHIPGATE_BENCH_LIVE_ON ?? 'planned,samples done').split(',')
const write = process.stderr.write.bind(process.stderr)
process.stderr.write = (chunk, ...rest) => {
  const text = String(chunk)
  const word = words.find((w) => text.includes(w))
  if (word !== undefined && typeof globalThis.gc === 'function') {
    globalThis.gc()
    globalThis.gc()
    const { heapUsed, rss } = process.memoryUsage()
    const mb = (n) => (n / 2 ** 20).toFixed(1)
    write(`live heap at "${word}": ${mb(heapUsed)} MB (rss ${mb(rss)} MB)\n`)
  }
  return write(chunk, ...rest)
}

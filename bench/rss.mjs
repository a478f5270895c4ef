// Preloaded with `node --import` into a benchmarked shipgate process: on exit, writes the
// process's peak resident set size (bytes) to $SHIPGATE_BENCH_RSS_FILE.
import { writeFileSync } from 'node:fs'

const file = process.env.SHIPGATE_BENCH_RSS_FILE
if (file)
  process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)))

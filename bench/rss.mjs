// Preloaded with `node --import` into a benchmarked process: on exit, writes the process's peak
// resident set size (bytes) to $SHIPGATE_BENCH_RSS_FILE and, when $SHIPGATE_BENCH_CPU_FILE is
// set, its CPU time (user + system, microseconds) to that file.
import { writeFileSync } from 'node:fs'

const file = process.env.SHIPGATE_BENCH_RSS_FILE
const cpuFile = process.env.SHIPGATE_BENCH_CPU_FILE
process.on('exit', () => {
  const usage = process.resourceUsage()
  if (file) writeFileSync(file, String(usage.maxRSS * 1024))
  if (cpuFile) writeFileSync(cpuFile, String(usage.userCPUTime + usage.systemCPUTime))
})

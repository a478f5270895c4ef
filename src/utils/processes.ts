/**
 * Whether processes still run. A zombie does not count: where PID 1 does not reap orphans (some
 * containers), a killed process lingers as one, and waiting for it to vanish would never end.
 */
import { readdirSync, readFileSync } from 'node:fs'

/** Whether process `pid` runs (exists and is not a zombie). */
export function pidAlive(pid: number): boolean {
  const stat = procStat(pid)
  if (stat !== undefined) return stat.state !== 'Z'
  return signalable(pid)
}

/** Whether any process of the group led by `pgid` runs. */
export function groupAlive(pgid: number): boolean {
  if (!signalable(-pgid)) return false
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return true // no /proc (macOS): the signal test is all there is
  }
  return entries.some((name) => {
    if (!/^\d+$/.test(name)) return false
    const stat = procStat(Number(name))
    return stat !== undefined && stat.pgrp === pgid && stat.state !== 'Z'
  })
}

function signalable(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** State and process group from /proc/<pid>/stat; `undefined` without /proc or the process. */
function procStat(pid: number): { state: string; pgrp: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // "pid (comm) state ppid pgrp ..."; comm may hold spaces and parentheses.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return { state: fields[0] ?? '', pgrp: Number(fields[2]) }
  } catch {
    return undefined
  }
}

/** What a prune looks at of each stored run. */
export interface RetentionEntry {
  readonly id: string
  readonly status: string
  readonly branch: string | null
  readonly startedAt: string
}

/**
 * The runs a prune deletes: those started before `startedBefore`, except a run still `running`
 * (it may be writing) and the newest completed run of each branch, which `gate` may read as the
 * baseline however old it is. Pure, so every store applies the same rule.
 */
export function prunable(entries: readonly RetentionEntry[], startedBefore: string): string[] {
  const newestCompleted = new Map<string | null, RetentionEntry>()
  for (const entry of entries) {
    if (entry.status !== 'completed') continue
    const held = newestCompleted.get(entry.branch)
    if (held === undefined || newer(entry, held)) newestCompleted.set(entry.branch, entry)
  }
  const kept = new Set([...newestCompleted.values()].map((e) => e.id))
  return entries
    .filter((e) => e.startedAt < startedBefore && e.status !== 'running' && !kept.has(e.id))
    .map((e) => e.id)
}

function newer(a: RetentionEntry, b: RetentionEntry): boolean {
  return a.startedAt === b.startedAt ? a.id > b.id : a.startedAt > b.startedAt
}

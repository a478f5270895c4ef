/**
 * A bounded loopback load on the example agent service: `concurrency` loops POSTing
 * `/agent/query` for rotating users (so the per-user rate limit never answers 429) until stopped.
 */

/** A running load. */
export interface Load {
  /** Stops the loops; resolves with how many requests were sent. */
  stop(): Promise<number>
  /**
   * Answers so far by the release that served them: the local target's proxy names it in
   * `x-shipgate-release` (answers without the header are not counted).
   */
  byRelease(): Readonly<Record<string, number>>
}

/** Starts the load against `url` (the service or a proxy in front of it). */
export function startLoad(
  url: string,
  options: { concurrency?: number; pauseMs?: number } = {},
): Load {
  let running = true
  let sent = 0
  const served: Record<string, number> = {}
  const loop = async (worker: number) => {
    for (let i = 0; running; i++) {
      const user = `load-${worker}-${i % 50}`
      await fetch(`${url}/agent/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-user-id': user },
        body: JSON.stringify({ query: 'Why is the build slow?', user_id: user }),
      })
        .then((r) => {
          const release = r.headers.get('x-shipgate-release')
          if (release !== null) served[release] = (served[release] ?? 0) + 1
          return r.arrayBuffer()
        })
        .catch(() => undefined)
      sent++
      await new Promise((r) => setTimeout(r, options.pauseMs ?? 20))
    }
  }
  const loops = Array.from({ length: options.concurrency ?? 4 }, (_, w) => loop(w))
  return {
    async stop() {
      running = false
      await Promise.all(loops)
      return sent
    },
    byRelease: () => ({ ...served }),
  }
}

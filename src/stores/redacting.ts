import type { Store } from '../contracts/store.js'
import type { Redactor } from '../utils/redact.js'

/** The repositories of a store, whose writes carry text from outside (outputs, reasons, logs). */
const REPOSITORIES = new Set<PropertyKey>(['runs', 'releases', 'deployments', 'experimentEvents'])

/**
 * `store` with every argument of every repository call redacted first: the write boundary of
 * the store, so that no row holds a secret whatever a stage passes it (a sample's output, a
 * deployment step's log, an error message). Reads pass ids and queries, which redaction leaves
 * as they are; what they return is what was written, already redacted.
 */
export function redactingStore(store: Store, redactor: Pick<Redactor, 'json'>): Store {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver)
      // Methods run on the store itself: a class's private fields are not reachable through a proxy.
      if (typeof value === 'function') return (value as () => unknown).bind(target)
      if (!REPOSITORIES.has(key) || value === null || typeof value !== 'object') return value
      return redactingRepository(value, redactor)
    },
  })
}

function redactingRepository<T extends object>(repository: T, redactor: Pick<Redactor, 'json'>): T {
  return new Proxy(repository, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target)
      if (typeof value !== 'function') return value
      return (...args: unknown[]): unknown =>
        (value as (...a: unknown[]) => unknown).apply(
          target,
          args.map((a) => redactor.json(a)),
        )
    },
  })
}

/** The viewer's web app over a fresh in-memory store, for the page tests. */
import { beforeEach } from 'vitest'
import type { Store } from '../../src/contracts/store.js'
import { openStore } from '../../src/stores/index.js'
import { ResultsCache, viewApp, type ViewDeps } from '../../src/workflows/view/index.js'

/** The app and its store, made again before each test; `get` and `text` ask it for a path. */
export interface MemoryViewer {
  readonly store: Store
  readonly app: ReturnType<typeof viewApp>
  get(path: string, init?: RequestInit): Promise<Response>
  text(path: string): Promise<string>
}

/** Registers a `beforeEach` that opens a new store and app; `deps` override the app's. */
export function memoryViewer(deps: Partial<ViewDeps> = {}): MemoryViewer {
  let store: Store | undefined
  let app: ReturnType<typeof viewApp> | undefined
  beforeEach(async () => {
    store = await openStore(':memory:', process.cwd())
    app = viewApp({ store, results: new ResultsCache(store), token: null, loopback: true, ...deps })
  })
  const viewer: MemoryViewer = {
    get store() {
      if (store === undefined) throw new Error('memoryViewer: used outside a test')
      return store
    },
    get app() {
      if (app === undefined) throw new Error('memoryViewer: used outside a test')
      return app
    },
    get: async (path, init) => viewer.app.request(`http://127.0.0.1${path}`, init),
    text: async (path) => (await viewer.get(path)).text(),
  }
  return viewer
}

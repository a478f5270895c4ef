// Types of what eslint.config.js exports besides the config, for the test that lints with them.
import type { Linter } from 'eslint'

/** The import-x/no-restricted-paths zones of ARCHITECTURE §3's layers. */
export declare const LAYER_ZONES: readonly Record<string, unknown>[]

declare const config: Linter.Config[]
export default config

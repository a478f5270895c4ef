// Bundles the CLI into dist/bundle/ after `tsc`: Node 20 loads hundreds of small ESM files
// (kysely, zod) slowly, and one bundle with a chunk per lazily imported workflow starts several
// hundred milliseconds faster. The library entry (dist/index.js) stays tsc's output.
// @shipgate/runtime (its flags, pricing and shared errors) is inlined from its dist/ like any
// dependency; its price table is still read from the installed package's data/.
import { execFileSync } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { build } from 'esbuild'

rmSync('dist/bundle', { recursive: true, force: true })

await build({
  entryPoints: { main: 'dist/cli/main.js' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Native code, dependency-tree (which brings the TypeScript compiler) and pg (optional native
  // bindings it requires lazily): loaded from node_modules.
  external: ['better-sqlite3', 'dependency-tree', 'pg'],
  // Bundled CommonJS dependencies call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __shipgateRequire } from 'node:module'; const require = __shipgateRequire(import.meta.url);",
  },
  sourcemap: true,
  logLevel: 'warning',
  metafile: process.env.SHIPGATE_BUNDLE_META === '1',
})

// `shipgate --help` into a pipe prints this file instead of building the program: the same
// text (commander wraps at 80 columns when stdout is not a terminal), rendered from the bundle
// just built, before help.txt exists.
const help = execFileSync(process.execPath, ['bin/shipgate.js', '--help'], { encoding: 'utf8' })
writeFileSync('dist/bundle/help.txt', help)

import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

/*
 * What `npm pack` puts in the shipgate tarball (the README's install step): the built CLI and
 * library, the schema and the README; never the compiler's incremental state.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  const [pack] = JSON.parse(out) as { files: { path: string }[] }[]
  return (pack?.files ?? []).map((f) => f.path)
}

describe('the shipgate tarball', () => {
  it('holds the CLI, the library and the schema, and no .tsbuildinfo', () => {
    const files = packedFiles()
    expect(files).toContain('bin/shipgate.js')
    expect(files).toContain('dist/index.js')
    expect(files).toContain('schema/shipgate.schema.json')
    // The viewer's chart script, served as /assets/view.js.
    expect(files).toContain('assets/view/view.js')
    expect(files.filter((f) => f.endsWith('.tsbuildinfo'))).toEqual([])
  })
})

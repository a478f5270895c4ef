/** The README's folder map is one line per folder, and true to the tree. */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))

/** The folders the map names, in order. */
function mapped(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const block = /### Folder map[\s\S]*?```text\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''
  return block
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(/\s+/)[0] ?? '')
}

/** `dir` and every folder below it, repository-relative with a trailing slash. */
function tree(dir: string): string[] {
  const path = join(root, dir)
  const below = readdirSync(path, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => tree(join(dir, entry.name)))
  return [`${relative(root, path)}/`, ...below]
}

describe('the README folder map', () => {
  const lines = mapped()

  it('names each folder once', () => {
    expect(lines.length).toBeGreaterThan(40)
    expect(lines.filter((line, i) => lines.indexOf(line) !== i)).toEqual([])
  })

  it('names every source folder and nothing that is not there', () => {
    const top = [
      'assets/',
      'assets/view/',
      'bench/',
      'bin/',
      'docs/',
      'examples/',
      'packages/',
      'packages/runtime/',
    ]
    const folders = [...tree('src'), ...tree('packages/runtime/src'), ...top]
    const others = ['test/', 'scripts/', 'schema/']
    expect([...lines].sort()).toEqual([...folders, ...others].sort())
  })
})

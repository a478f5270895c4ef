/**
 * The layer rules lint enforces (eslint.config.js's LAYER_ZONES), tried on imports that break
 * them and on ones that keep them, at real paths of the tree.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import importX from 'eslint-plugin-import-x'
import tseslint from 'typescript-eslint'
import { describe, expect, it } from 'vitest'
import { LAYER_ZONES } from '../../eslint.config.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tseslint.parser },
      plugins: { 'import-x': importX },
      settings: {
        'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
      },
      rules: { 'import-x/no-restricted-paths': ['error', { zones: LAYER_ZONES }] },
    },
  ],
})

/** The zone messages an import line gets in a file at `path` (repository-relative). */
async function violations(path: string, importLine: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${importLine}\nexport {}\n`, {
    filePath: join(root, path),
  })
  return (result?.messages ?? []).map((m) => m.message)
}

describe('layer zones', () => {
  it.each([
    [
      'a stage reaching into a sibling stage',
      'src/workflows/gate/probe.ts',
      "import { buildPlan } from '../eval/plan.js'",
      /workflows\/gate\/ uses a sibling stage only through its index.ts/,
    ],
    [
      'the CLI reaching past a stage',
      'src/cli/commands/probe.ts',
      "import { buildPlan } from '../../workflows/eval/plan.js'",
      /cli\/ imports stage entry points/,
    ],
    [
      'the CLI using an adapter directly',
      'src/cli/commands/probe.ts',
      "import { openStore } from '../../stores/index.js'",
      /cli\/ imports stage entry points/,
    ],
    [
      'core doing I/O through an adapter',
      'src/core/eval/probe.ts',
      "import { openStore } from '../../stores/index.js'",
      /core\/ imports only contracts\/ and utils\//,
    ],
    [
      'an adapter using another adapter',
      'src/providers/probe.ts',
      "import { openStore } from '../stores/index.js'",
      /providers\/ is an adapter/,
    ],
    [
      'an integration using a stage',
      'src/integrations/git/probe.ts',
      "import { gate } from '../../workflows/gate/index.js'",
      /integrations\/ is an adapter/,
    ],
    [
      'the runtime package using the CLI',
      'packages/runtime/src/probe.ts',
      "import { gate } from '../../../src/workflows/gate/index.js'",
      /@shipgate\/runtime imports nothing from the CLI/,
    ],
  ])('refuses %s', async (_what, path, line, message) => {
    const found = await violations(path, line)
    expect(found).toHaveLength(1)
    expect(found[0]).toMatch(message)
  })

  it.each([
    [
      'a stage using a sibling stage through its index.ts',
      'src/workflows/gate/probe.ts',
      "import { withConfigAndStore } from '../project/index.js'",
    ],
    [
      'a stage using its own files',
      'src/workflows/eval/probe.ts',
      "import { buildPlan } from './plan.js'",
    ],
    [
      'the CLI calling a stage and a reporter',
      'src/cli/commands/probe.ts',
      "import { gate } from '../../workflows/gate/index.js'\nimport { renderVerdict } from '../../reporters/verdict.js'",
    ],
  ])('allows %s', async (_what, path, line) => {
    expect(await violations(path, line)).toEqual([])
  })
})

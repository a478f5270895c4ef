// ESLint: type-checked TypeScript rules plus the layer rules of ARCHITECTURE.md §3.
import { readdirSync } from 'node:fs'
import js from '@eslint/js'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import importX from 'eslint-plugin-import-x'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/** Adapter folders: they may use contracts/, utils/ and errors.ts, never each other or core/. */
const ADAPTERS = [
  'providers',
  'assertions',
  'stores',
  'reporters',
  'prompts',
  'cassettes',
  'metric-sources',
  'deploy-targets',
  'notifiers',
  'scan',
  'integrations',
]

/** The pipeline's stages: one folder each under src/workflows/, entered by its index.ts. */
const STAGES = readdirSync(new URL('./src/workflows', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)

/** A stage reaches a sibling only through the sibling's index.ts, never its internals. */
const stage = (name) => ({
  target: `./src/workflows/${name}`,
  from: './src/workflows',
  except: [`./${name}`, ...STAGES.filter((s) => s !== name).map((s) => `./${s}/index.ts`)],
  message: `workflows/${name}/ uses a sibling stage only through its index.ts.`,
})

/** The CLI parses, calls a stage and renders: stage entry points and reporters, nothing deeper. */
const cli = {
  target: './src/cli',
  from: './src',
  except: [
    './cli',
    './contracts',
    './utils',
    './errors.ts',
    './logger.ts',
    './reporters',
    ...STAGES.map((s) => `./workflows/${s}/index.ts`),
  ],
  message: 'cli/ imports stage entry points (workflows/<stage>/index.ts) and reporters/ only.',
}

/** `shipgate/vitest` is a front end like the CLI: stage entry points, nothing deeper. */
const vitest = {
  target: './src/vitest',
  from: './src',
  except: [
    './vitest',
    './contracts',
    './utils',
    './errors.ts',
    './logger.ts',
    ...STAGES.map((s) => `./workflows/${s}/index.ts`),
  ],
  message: 'vitest/ imports stage entry points (workflows/<stage>/index.ts) only, like cli/.',
}

/** The runtime package's own layers: flags/ and pricing/ build only on its foundations. */
const RUNTIME = './packages/runtime/src'
const runtimeLeaf = (dir, allowed) => ({
  target: `${RUNTIME}/${dir}`,
  from: RUNTIME,
  except: [`./${dir}`, ...allowed],
  message: `@shipgate/runtime's ${dir}/ imports only ${allowed.join(', ') || 'itself'}.`,
})

const leaf = (dir) => ({
  target: `./src/${dir}`,
  from: './src',
  except: ['./contracts', './utils'],
  message: `${dir}/ imports only contracts/ and utils/ (ARCHITECTURE §3).`,
})

/** The layer rules of ARCHITECTURE §3, as import-x/no-restricted-paths zones (a test lints with them). */
export const LAYER_ZONES = [
  leaf('contracts'),
  leaf('utils'),
  {
    target: './src/core',
    from: './src',
    except: ['./core', './contracts', './utils'],
    message: 'core/ imports only contracts/ and utils/ (ARCHITECTURE §3).',
  },
  {
    // @shipgate/runtime is installed alone inside the user's service.
    target: './packages/runtime',
    from: './src',
    message: '@shipgate/runtime imports nothing from the CLI: it ships on its own.',
  },
  ...STAGES.map(stage),
  cli,
  vitest,
  runtimeLeaf('contracts', []),
  runtimeLeaf('pricing', ['./contracts', './errors.ts']),
  runtimeLeaf('flags', ['./contracts', './errors.ts', './logger.ts']),
  ...ADAPTERS.map((dir) => ({
    target: `./src/${dir}`,
    from: './src',
    // prompts/ (liquid templating) is a shared leaf that HTTP request templates and
    // judge prompts use too.
    except: [
      `./${dir}`,
      './contracts',
      './utils',
      './errors.ts',
      './logger.ts',
      ...(dir === 'providers' || dir === 'assertions' ? ['./prompts'] : []),
    ],
    message: `${dir}/ is an adapter: it imports contracts/, utils/ and errors.ts, never other adapters or core/.`,
  })),
]

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'packages/*/dist/',
      'coverage/',
      'node_modules/',
      '.scratch/',
      'examples/**/node_modules/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'separate-type-imports' },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      'no-throw-literal': 'off',
      '@typescript-eslint/only-throw-error': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: LAYER_ZONES,
        },
      ],
    },
  },
  {
    // A package reaches another only through its name and entry points (package.json exports).
    files: ['src/**/*.ts', 'packages/*/src/**/*.ts'],
    rules: { 'import-x/no-relative-packages': 'error' },
  },
  {
    // Core is pure: no I/O, environment, clock or process — those come in as parameters.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'child_process', 'http', 'https', 'net'],
              message: 'core/ does no I/O; take it as a parameter.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        'process',
        'setTimeout',
        'setInterval',
        'fetch',
        'performance',
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'core/ takes a Clock.' },
        { object: 'Math', property: 'random', message: 'core/ takes a Random.' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: globals.node,
    },
  },
  {
    // The viewer's script runs in the browser, as it is (served as /assets/view.js).
    files: ['assets/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
)

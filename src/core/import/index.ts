/**
 * promptfoo config → shipgate config, pure: the files it reads come in through
 * {@link PromptfooFiles}, the shipgate features at hand through {@link ShipgateSupport}.
 * Everything not carried over exactly is a finding with its file and line.
 */
import { ImportContext, record } from './context.js'
import { mapPrompts } from './prompts.js'
import { mapProvider } from './providers.js'
import { mapTests } from './tests.js'
import type {
  ImportFinding,
  ImportPlan,
  PromptfooDocument,
  PromptfooFiles,
  ShipgateSupport,
} from './types.js'

export type * from './types.js'
export { nunjucksToLiquid, type TemplateProblem } from './nunjucks.js'

/** Keys of a promptfoo config the mapping reads. */
const READ = new Set(['description', 'providers', 'prompts', 'tests', 'defaultTest'])

/** Why the other top-level keys are not imported. */
const TOP_LEVEL_WHY: Readonly<Record<string, string>> = {
  scenarios: 'shipgate has no scenarios: write each scenario as a suite, its data rows as cases',
  env: 'shipgate reads the environment as it is; set these variables in CI or the shell',
  evaluateOptions: 'set concurrency and retries under `runner:` (docs/config.md)',
  outputPath: 'use `shipgate eval -o FILE`',
  sharing: 'shipgate shares results through its store and `shipgate view`',
  nunjucksFilters: 'shipgate prompts are liquid templates; custom filters are not supported',
  extensions: 'shipgate has no extension hooks',
  derivedMetrics: 'shipgate reports each assertion metric; derived metrics are not computed',
  redteam: 'red-team generation is not part of shipgate',
}

/** The name of the one suite the import writes. */
export const IMPORTED_SUITE = 'promptfoo'

/**
 * Where its cases are written (beside shipgate.yaml, so `file://` paths keep their base): YAML
 * to read and edit, or, past {@link YAML_CASES} cases, JSONL, which loads ~50 times faster.
 */
export const CASES_FILE = 'promptfoo.cases.yaml'

/** Most cases written as YAML (10,000 took 10 s to load back; as JSONL, well under 1 s). */
export const YAML_CASES = 1000

/** Maps a parsed promptfoo config (`doc`) to a shipgate config, its files and findings. */
export function mapPromptfoo(
  doc: PromptfooDocument,
  io: PromptfooFiles,
  support: ShipgateSupport,
): ImportPlan {
  const ctx = new ImportContext(io, support)
  const config = record(doc.value) ?? {}
  for (const key of Object.keys(config)) {
    if (!READ.has(key)) {
      ctx.unmapped(doc, [key], key, TOP_LEVEL_WHY[key] ?? 'not a promptfoo setting shipgate knows')
    }
  }
  const providers = providerList(config.providers).flatMap(({ value, path }) => {
    const name = mapProvider(ctx, doc, path, value)
    return name === undefined ? [] : [name]
  })
  const prompts = mapPrompts(ctx, doc, config.prompts)
  const tests = mapTests(ctx, doc)
  const suite = suiteEntry(ctx, doc, providers, prompts, tests)
  const cases = tests.cases
  const out: Record<string, unknown> = { version: 1 }
  if (typeof config.description === 'string') out.description = config.description
  out.providers = ctx.providers
  out.prompts = ctx.prompts
  out.suites = { [IMPORTED_SUITE]: suite }
  const judge = judgeEntry(ctx, doc)
  if (judge !== undefined) out.judge = judge
  return {
    config: out,
    files: ctx.files,
    findings: dedupe(ctx.findings),
    envNames: [...ctx.envNames].sort(),
    cases,
    casesFile: casesFile(cases.length),
  }
}

function casesFile(count: number): string {
  return count > YAML_CASES ? CASES_FILE.replace(/\.yaml$/, '.jsonl') : CASES_FILE
}

function providerList(raw: unknown): { value: unknown; path: (string | number)[] }[] {
  if (raw === undefined) return []
  if (typeof raw === 'string') return [{ value: raw, path: ['providers'] }]
  if (Array.isArray(raw)) {
    return raw.map((value: unknown, i) => {
      // `- openai:gpt-4: { config }`: a one-key map naming the provider.
      const obj = record(value)
      const keys = obj === undefined ? [] : Object.keys(obj)
      const only = keys.length === 1 && keys[0] !== 'id' ? keys[0] : undefined
      return only === undefined
        ? { value, path: ['providers', i] }
        : { value: { id: only, ...(record(obj?.[only]) ?? {}) }, path: ['providers', i] }
    })
  }
  return []
}

function suiteEntry(
  ctx: ImportContext,
  doc: PromptfooDocument,
  providers: string[],
  prompts: string[],
  tests: ReturnType<typeof mapTests>,
): Record<string, unknown> {
  const suite: Record<string, unknown> = {}
  const config = record(doc.value) ?? {}
  if (typeof config.description === 'string') suite.description = config.description
  if (providers.length === 0) {
    ctx.unmapped(
      doc,
      ['providers'],
      'providers',
      'no provider could be mapped; a mock provider that echoes the prompt stands in',
    )
    ctx.providers.echo = { type: 'mock' }
    providers.push('echo')
  }
  if (prompts.length === 0) {
    ctx.unmapped(
      doc,
      ['prompts'],
      'prompts',
      'no prompt could be mapped; a prompt of the `prompt` var stands in',
    )
    ctx.prompts.prompt = { user: '{{ prompt }}' }
    prompts.push('prompt')
  }
  if (prompts.length === 1) suite.prompt = prompts[0]
  if (providers.length === 1) suite.provider = providers[0]
  if (prompts.length > 1 || providers.length > 1) {
    suite.matrix = {
      ...(prompts.length > 1 ? { prompt: prompts } : {}),
      ...(providers.length > 1 ? { provider: providers } : {}),
    }
  }
  if (Object.keys(tests.vars).length > 0) suite.vars = tests.vars
  if (tests.assert.length > 0) suite.assert = tests.assert
  if (tests.transform !== undefined) suite.transform = tests.transform
  suite.cases = casesFile(tests.cases.length)
  if (tests.cases.some(runsCode)) suite.trustCases = true
  return suite
}

/** A case whose assertions or transform run the user's code (needs `trustCases`). */
function runsCode(kase: Record<string, unknown>): boolean {
  if (kase.transform !== undefined) return true
  const asserts = Array.isArray(kase.assert) ? kase.assert : []
  return asserts.some((a) => {
    const spec = record(a) ?? {}
    return (
      String(spec.type).replace(/^not-/, '') === 'javascript' ||
      spec.transform !== undefined ||
      (typeof spec.value === 'string' && spec.value.startsWith('file://'))
    )
  })
}

/** The judge of model-graded assertions: the one named, or promptfoo's default grader. */
function judgeEntry(ctx: ImportContext, doc: PromptfooDocument): unknown {
  if (!ctx.needsJudge && ctx.judge.provider === undefined) return undefined
  let provider = ctx.judge.provider
  if (provider === undefined) {
    provider = 'grader'
    ctx.providers[provider] = { type: 'openai', model: 'gpt-4.1' }
    ctx.changed(
      doc,
      [],
      'default grader',
      "no grading provider is set (defaultTest.options.provider): OpenAI gpt-4.1 is written as the judge, promptfoo's default in its 2025 releases (its default changes with its version: name the grader to be sure)",
    )
  }
  return ctx.judge.embeddings === undefined
    ? provider
    : { provider, embeddings: ctx.judge.embeddings }
}

function dedupe(findings: readonly ImportFinding[]): ImportFinding[] {
  const seen = new Set<string>()
  return findings.filter((f) => {
    const key = `${f.kind}\u0000${f.file}\u0000${f.line}\u0000${f.feature}\u0000${f.reason}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

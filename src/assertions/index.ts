import type {
  AssertionContext,
  AssertionSpec,
  AssertionType,
  Check,
} from '../contracts/assertion.js'
import { ShipgateError } from '../errors.js'
import * as z from '../utils/zod.js'

type Loader = () => Promise<AssertionType<unknown>>

const load =
  <M extends Record<string, unknown>>(mod: () => Promise<M>, name: keyof M): Loader =>
  async () =>
    (await mod())[name] as AssertionType<unknown>

/** Builtin assertion types by name, imported only when a suite uses them. */
export const builtinAssertions = {
  equals: load(() => import('./equals.js'), 'equals'),
  contains: load(() => import('./contains.js'), 'contains'),
  icontains: load(() => import('./contains.js'), 'icontains'),
  'contains-any': load(() => import('./contains.js'), 'containsAny'),
  'icontains-any': load(() => import('./contains.js'), 'icontainsAny'),
  'contains-all': load(() => import('./contains.js'), 'containsAll'),
  'icontains-all': load(() => import('./contains.js'), 'icontainsAll'),
  regex: load(() => import('./regex.js'), 'regex'),
  'starts-with': load(() => import('./regex.js'), 'startsWith'),
  'is-json': load(() => import('./json.js'), 'isJson'),
  'json-schema': load(() => import('./json.js'), 'jsonSchema'),
  javascript: load(() => import('./javascript.js'), 'javascript'),
  length: load(() => import('./bounds.js'), 'length'),
  latency: load(() => import('./bounds.js'), 'latency'),
  cost: load(() => import('./bounds.js'), 'cost'),
  'llm-rubric': load(() => import('./llm-rubric.js'), 'llmRubric'),
  'g-eval': load(() => import('./g-eval.js'), 'gEval'),
  factuality: load(() => import('./factuality.js'), 'factuality'),
  'answer-relevance': load(() => import('./answer-relevance.js'), 'answerRelevance'),
  similar: load(() => import('./similar.js'), 'similar'),
  pairwise: load(() => import('./pairwise.js'), 'pairwise'),
  'tool-call': load(() => import('./tool-call.js'), 'toolCall'),
  'tool-calls-valid': load(() => import('./tool-calls-valid.js'), 'toolCallsValid'),
  trajectory: load(() => import('./trajectory.js'), 'trajectory'),
  levenshtein: load(() => import('./similarity.js'), 'levenshtein'),
  'rouge-n': load(() => import('./similarity.js'), 'rougeN'),
  'rouge-l': load(() => import('./similarity.js'), 'rougeL'),
} satisfies Record<string, Loader>

export type BuiltinAssertionName = keyof typeof builtinAssertions

/**
 * Types that make no sense negated: bounds already say which side passes, the scored judges
 * have a threshold to set instead, and the agent checks have `not-tool-call` for "never called".
 */
const NOT_NEGATABLE = new Set<string>([
  'length',
  'latency',
  'cost',
  'g-eval',
  'factuality',
  'answer-relevance',
  'pairwise',
  'tool-calls-valid',
  'trajectory',
])

/** Model-graded types: they need a judge provider. */
export const JUDGE_TYPES: ReadonlySet<string> = new Set([
  'llm-rubric',
  'g-eval',
  'factuality',
  'answer-relevance',
  'similar',
  'pairwise',
])

/** Every type name config accepts, `not-` forms included. */
export const assertionTypeNames: readonly string[] = Object.keys(builtinAssertions).flatMap(
  (name) => (NOT_NEGATABLE.has(name) ? [name] : [name, `not-${name}`]),
)

/**
 * Validates an assertion's value and compiles it into a check; `not-<type>` inverts the check's
 * pass and score and keeps its reason, which states the fact either way. Throws a config error
 * (without position: the caller knows where the assertion was written).
 */
export async function prepareAssertion(
  spec: AssertionSpec,
  context: AssertionContext,
): Promise<Check> {
  const negated = spec.type.startsWith('not-')
  const name = negated ? spec.type.slice(4) : spec.type
  // Own keys only: `constructor` or `toString` is not an assertion type.
  const loader = Object.hasOwn(builtinAssertions, name)
    ? builtinAssertions[name as BuiltinAssertionName]
    : undefined
  if (loader === undefined || (negated && NOT_NEGATABLE.has(name))) {
    throw new ShipgateError('config', `unknown assertion type "${spec.type}"`)
  }
  const type = await loader()
  const parsed = z.safeParse(type.value, spec.value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where =
      issue !== undefined && issue.path.length > 0 ? ` at value.${issue.path.join('.')}` : ''
    throw new ShipgateError(
      'config',
      `invalid value for ${spec.type}${where}: ${issue?.message ?? 'invalid'}`,
      {
        hint: `see docs/assertions.md#${name}`,
      },
    )
  }
  const check = await type.prepare(parsed.data, spec, context)
  return negated ? negate(check) : check
}

/** Inverts a check; a check that could not decide stays an error. */
function negate(check: Check): Check {
  return async (input) => {
    const grade = await check(input)
    if (grade.error === true) return grade
    return { ...grade, pass: !grade.pass, score: 1 - grade.score }
  }
}

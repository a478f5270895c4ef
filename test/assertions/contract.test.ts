/**
 * The assertion contract, run against every builtin type with one passing and one failing
 * example each. Model-graded types are judged by the `mock` provider, scripted to answer the
 * passing example's prompt one way and the failing one's the other.
 */
import type { BuiltinAssertionName } from '../../src/assertions/index.js'
import { assertionContract, type AssertionExamples } from '../contract/assertion.contract.js'

const QUESTION_ASKED = 'What is the capital of France?'

/** Every builtin type's examples; a type missing here fails the typecheck. */
const EXAMPLES: Record<BuiltinAssertionName, AssertionExamples> = {
  equals: {
    spec: { value: { answer: 42, unit: null } },
    pass: '{ "unit": null, "answer": 42 }',
    fail: '{ "answer": 41, "unit": null }',
    bad: { spec: { value: null }, names: /invalid value for equals/ },
  },
  contains: {
    spec: { value: 'Paris' },
    pass: 'The capital is Paris.',
    fail: 'The capital is paris.',
    bad: { spec: { value: { text: 'Paris' } }, names: /invalid value for contains/ },
  },
  icontains: {
    spec: { value: 'PARIS' },
    pass: 'The capital is paris.',
    fail: 'The capital is Lyon.',
    bad: { spec: {}, names: /invalid value for icontains/ },
  },
  'contains-any': {
    spec: { value: ['Paris', 'Lutetia'] },
    pass: 'Lutetia, in Roman times.',
    fail: 'Lyon.',
    bad: { spec: { value: [] }, names: /contains-any.*at least one/ },
  },
  'icontains-any': {
    spec: { value: 'paris, lutetia' },
    pass: 'LUTETIA.',
    fail: 'Lyon.',
    bad: { spec: { value: ' , ' }, names: /icontains-any.*at least one/ },
  },
  'contains-all': {
    spec: { value: ['Paris', 'France'] },
    pass: 'Paris, France.',
    fail: 'Paris, Texas.',
    bad: { spec: { value: ['Paris', { city: 'Lyon' }] }, names: /invalid value for contains-all/ },
  },
  'icontains-all': {
    spec: { value: ['paris', 'france'] },
    pass: 'PARIS, FRANCE.',
    fail: 'paris, texas.',
    bad: { spec: { value: true }, names: /invalid value for icontains-all/ },
  },
  regex: {
    spec: { value: '/^paris\\b/i' },
    pass: 'Paris is the capital.',
    fail: 'The capital is Paris.',
    bad: { spec: { value: '(unclosed' }, names: /regex.*not a valid regular expression/ },
  },
  'starts-with': {
    spec: { value: '{' },
    pass: '{"answer": 42}',
    fail: 'Sure! {"answer": 42}',
    bad: { spec: { value: ['{'] }, names: /invalid value for starts-with/ },
  },
  'is-json': {
    spec: { value: { type: 'object', required: ['answer'] } },
    pass: '{"answer": 42}',
    fail: '{"other": 42}',
    bad: { spec: { value: { type: 'nonsense' } }, names: /invalid JSON Schema/ },
  },
  'json-schema': {
    spec: { value: { type: 'object', properties: { answer: { type: 'integer' } } } },
    pass: '{"answer": 42}',
    fail: '{"answer": "42"}',
    bad: { spec: { value: 'schema.json' }, names: /json-schema.*file:\/\// },
  },
  javascript: {
    spec: { value: 'output.includes("Paris") && output.length < 100' },
    pass: 'Paris.',
    fail: 'Lyon.',
    bad: { spec: { value: 'return (' }, names: /javascript assertion does not compile/ },
  },
  length: {
    spec: { value: { min: 3, max: 40 } },
    pass: 'Paris is the capital.',
    fail: 'Paris is the capital of France, and has been for centuries.',
    bad: { spec: { value: { min: 10, max: 2 } }, names: /length.*`min` must not exceed `max`/ },
  },
  latency: {
    spec: { threshold: 500 },
    pass: { output: 'ok', latencyMs: 120 },
    fail: { output: 'ok', latencyMs: 900 },
    bad: { spec: {}, names: /latency needs a limit.*threshold/ },
  },
  cost: {
    spec: { threshold: 0.01 },
    pass: { output: 'ok', costUsd: 0.002 },
    fail: { output: 'ok', costUsd: null },
    bad: { spec: { value: -1 }, names: /invalid value for cost/ },
  },
  'llm-rubric': {
    spec: { value: 'Names the capital of France correctly' },
    pass: 'Paris is the capital of France.',
    fail: 'Lyon is the capital of France.',
    judge: [
      { match: 'Paris is the capital', output: { reason: 'Right.', pass: true, score: 0.9 } },
      { match: 'Lyon is the capital', output: { reason: 'Wrong.', pass: false, score: 0.1 } },
    ],
    bad: { spec: { value: '' }, names: /invalid value for llm-rubric/ },
  },
  'g-eval': {
    spec: { value: ['accuracy'], threshold: 7 },
    pass: 'Paris is the capital of France.',
    fail: 'Lyon is the capital of France.',
    judge: [
      { match: 'Paris is the capital', output: scores(9) },
      { match: 'Lyon is the capital', output: scores(2) },
    ],
    bad: { spec: { value: ['Accuracy!'] }, names: /g-eval at value\.0.*lower-case/ },
  },
  factuality: {
    spec: { value: 'The capital of France is Paris.' },
    pass: 'Paris, of course.',
    fail: 'Lyon, of course.',
    judge: [
      { match: 'Paris, of course', output: { reason: 'Same fact.', category: 'A' } },
      { match: 'Lyon, of course', output: { reason: 'Another city.', category: 'D' } },
    ],
    bad: { spec: { value: 42 }, names: /invalid value for factuality/ },
  },
  'answer-relevance': {
    spec: {},
    pass: 'Paris is the capital of France.',
    fail: 'Owls sleep by day.',
    judge: [
      { match: 'Paris is the capital', output: { questions: [QUESTION_ASKED] } },
      { match: 'Owls sleep', output: { questions: ['When do owls sleep?'] } },
    ],
    bad: { spec: { value: '' }, names: /invalid value for answer-relevance/ },
  },
  similar: {
    spec: { value: ['The capital of France is Paris'], threshold: 0.75 },
    pass: 'the capital of France is Paris!',
    fail: 'Owls sleep by day.',
    judge: [],
    bad: { spec: { value: [] }, names: /invalid value for similar/ },
  },
  pairwise: {
    spec: { value: { reference: 'Lyon.', criteria: 'more correct' } },
    pass: 'Paris.',
    fail: 'Marseille.',
    judge: [
      { regex: '<answer_a>\\s*Paris', output: { reason: 'A is right.', winner: 'A' } },
      { regex: '<answer_b>\\s*Paris', output: { reason: 'B is right.', winner: 'B' } },
      { regex: '<answer_a>\\s*Marseille', output: { reason: 'B is closer.', winner: 'B' } },
      { regex: '<answer_b>\\s*Marseille', output: { reason: 'A is closer.', winner: 'A' } },
    ],
    bad: { spec: { value: { criteria: 'more correct' } }, names: /invalid value for pairwise/ },
  },
  'tool-call': {
    spec: { value: { name: 'search', arguments: { q: 'weather' } } },
    pass: { output: '', toolCalls: [{ name: 'search', arguments: { q: 'weather', n: 3 } }] },
    fail: { output: '', toolCalls: [{ name: 'search', arguments: { q: 'news' } }] },
    bad: { spec: { value: { arguments: { q: 'x' } } }, names: /invalid value for tool-call/ },
  },
  'tool-calls-valid': {
    spec: {},
    tools: [
      {
        name: 'search',
        parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
      },
    ],
    pass: { output: '', toolCalls: [{ name: 'search', arguments: { q: 'weather' } }] },
    fail: { output: '', toolCalls: [{ name: 'search', arguments: { query: 'weather' } }] },
    bad: { spec: { value: { required: 'yes' } }, names: /invalid value for tool-calls-valid/ },
  },
  trajectory: {
    spec: { value: { steps: ['search', 'lookup'], mode: 'in-order', maxSteps: 4 } },
    pass: {
      output: 'done',
      trajectory: [
        { name: 'search', arguments: {}, step: 0 },
        { name: 'fetch', arguments: {}, step: 1 },
        { name: 'lookup', arguments: {}, step: 2 },
      ],
    },
    fail: {
      output: 'done',
      trajectory: [
        { name: 'lookup', arguments: {}, step: 0 },
        { name: 'search', arguments: {}, step: 1 },
      ],
    },
    bad: {
      spec: { value: { steps: ['search'], mode: 'sorted' } },
      names: /invalid value for trajectory/,
    },
  },
  levenshtein: {
    spec: { value: 'The capital of France is Paris.', threshold: 3 },
    pass: 'The capital of France is Paris!',
    fail: 'The capital of Italy is Rome.',
    bad: { spec: { value: { text: 'Paris' } }, names: /invalid value for levenshtein/ },
  },
  'rouge-n': {
    spec: { value: 'The capital of France is Paris', threshold: 0.75 },
    pass: 'Paris is the capital of France.',
    fail: 'Lyon is a city in France.',
    bad: { spec: { value: { reference: 'x', n: 9 } }, names: /invalid value for rouge-n/ },
  },
  'rouge-l': {
    spec: { value: 'The capital of France is Paris', threshold: 0.75 },
    pass: 'The capital of France is, of course, Paris.',
    fail: 'Paris is the capital of France.',
    bad: { spec: { value: [] }, names: /invalid value for rouge-l/ },
  },
}

/** A g-eval answer scoring accuracy and overall `score` out of 10. */
function scores(score: number): Record<string, unknown> {
  return {
    accuracy: { reason: `accuracy ${score}`, score },
    overall: { reason: `overall ${score}`, score },
  }
}

for (const [type, examples] of Object.entries(EXAMPLES)) {
  assertionContract(type as BuiltinAssertionName, examples)
}

import { isRecord } from './prompt.js'

/** One entry of a failed batch's `errors.data`. */
export interface BatchErrorEntry {
  readonly code: string
  readonly message: string
  readonly param: string | null
  /** 1-based line of the input file, or null for the file as a whole. */
  readonly line: number | null
}

/** One request of an input file. */
export interface InputLine {
  readonly customId: string
  /** The request body, as the endpoint would receive it. */
  readonly body: unknown
}

/** An input file read against its batch's endpoint. */
export interface BatchInput {
  /** The requests that could be read, in file order. */
  readonly lines: readonly InputLine[]
  /** Empty when the batch may run; else why it fails, as OpenAI reports it. */
  readonly errors: readonly BatchErrorEntry[]
  /** The model of the first request. */
  readonly model: string | undefined
}

/**
 * Reads a batch input file (JSONL, one `{custom_id, method, url, body}` per line) and checks
 * it as OpenAI does before running it: every line JSON, `POST`, to the batch's `endpoint`, one
 * model, unique `custom_id`s, at least one request.
 */
export function readInput(content: string, endpoint: string): BatchInput {
  const lines: InputLine[] = []
  const errors: BatchErrorEntry[] = []
  const seen = new Set<string>()
  let model: string | undefined
  for (const [i, text] of content.split('\n').entries()) {
    if (text.trim() === '') continue
    const parsed = parseLine(text)
    const problem = parsed === undefined ? INVALID_JSON : checkLine(parsed, endpoint, seen, model)
    if (problem !== undefined) errors.push({ ...problem, line: i + 1 })
    if (parsed === undefined || typeof parsed.custom_id !== 'string') continue
    seen.add(parsed.custom_id)
    model ??=
      isRecord(parsed.body) && typeof parsed.body.model === 'string' ? parsed.body.model : undefined
    lines.push({ customId: parsed.custom_id, body: parsed.body })
  }
  if (lines.length === 0 && errors.length === 0) errors.push({ ...EMPTY, line: null })
  return { lines, errors, model }
}

type Problem = Omit<BatchErrorEntry, 'line'>

const INVALID_JSON: Problem = {
  code: 'invalid_json_line',
  message: 'This line is not parseable as valid JSON.',
  param: null,
}

const EMPTY: Problem = {
  code: 'empty_file',
  message:
    'The batch input file is empty. Please ensure that the file contains at least one request.',
  param: null,
}

function parseLine(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown
    return isRecord(value) ? value : undefined
  } catch {
    return undefined // reported as invalid_json_line
  }
}

function checkLine(
  line: Record<string, unknown>,
  endpoint: string,
  seen: ReadonlySet<string>,
  model: string | undefined,
): Problem | undefined {
  const { custom_id: id, method, url, body } = line
  if (typeof id !== 'string')
    return invalid('custom_id', "Missing required parameter: 'custom_id'.")
  if (method !== 'POST')
    return invalid('method', `Invalid value: '${String(method)}'. Supported values are: 'POST'.`)
  if (!isRecord(body)) return invalid('body', "Missing required parameter: 'body'.")
  if (seen.has(id)) {
    const message = `The custom_id '${id}' is a duplicate of another request's; custom_id must be unique within a batch.`
    return { code: 'duplicate_custom_id', message, param: 'custom_id' }
  }
  if (url !== endpoint) {
    const message = `The provided URL '${String(url)}' does not match the batch endpoint '${endpoint}'.`
    return { code: 'url_mismatch', message, param: 'url' }
  }
  if (model !== undefined && body.model !== model) {
    const message = `The model '${String(body.model)}' differs from the batch's model '${model}'; a batch uses one model.`
    return { code: 'model_mismatch', message, param: 'body.model' }
  }
  return undefined
}

function invalid(param: string, message: string): Problem {
  return { code: 'invalid_request', message, param }
}

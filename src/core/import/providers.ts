import { record, safeName, uniqueName, fileRef, type ImportContext } from './context.js'
import { envName, envRefs } from './env.js'
import { headers, http } from './http.js'
import { exec, scriptProvider } from './scripts.js'
import type { DocPath, PromptfooDocument } from './types.js'

/** Request parameters of model APIs, passed through as `params`. */
const PARAMS = new Set([
  'temperature',
  'max_tokens',
  'max_completion_tokens',
  'top_p',
  'top_k',
  'frequency_penalty',
  'presence_penalty',
  'seed',
  'stop',
  'stop_sequences',
  'response_format',
  'reasoning_effort',
  'logit_bias',
])

/** A provider entry of shipgate.yaml. */
export type Entry = Record<string, unknown>

/**
 * Maps one promptfoo provider (a string id, `{ id, label, config }`, or a `{ id: config }` map
 * entry) at `path` of `doc`; registers it and returns its shipgate name, or undefined when it
 * cannot be mapped (reported).
 */
export function mapProvider(
  ctx: ImportContext,
  doc: PromptfooDocument,
  path: DocPath,
  raw: unknown,
): string | undefined {
  const spec = typeof raw === 'string' ? { id: raw } : record(raw)
  const id = spec?.id
  if (spec === undefined || typeof id !== 'string') {
    ctx.unmapped(doc, path, 'provider', 'not a provider id or an object with `id`')
    return undefined
  }
  const label = typeof spec.label === 'string' ? spec.label : id
  const known = ctx.providerIds.get(label)
  if (known !== undefined) return known
  const config = record(spec.config) ?? {}
  const entry = providerEntry(ctx, doc, path, id, config)
  if (entry === undefined) return undefined
  for (const key of Object.keys(spec)) {
    if (!['id', 'label', 'config'].includes(key)) {
      ctx.unmapped(
        doc,
        [...path, key],
        `provider ${id}: ${key}`,
        'shipgate providers have no such setting',
      )
    }
  }
  const name = uniqueName(
    safeName(label.replace(/^(openai|anthropic):(chat|messages|responses):/, '$1-'), 'provider'),
    new Set(Object.keys(ctx.providers)),
  )
  ctx.providers[name] = entry
  ctx.providerIds.set(label, name)
  return name
}

function providerEntry(
  ctx: ImportContext,
  doc: PromptfooDocument,
  path: DocPath,
  id: string,
  config: Record<string, unknown>,
): Entry | undefined {
  const cpath = [...path, 'config']
  const model = /^(openai|anthropic)(?::(chat|responses|messages))?:(.+)$/.exec(id)
  if (
    model !== null &&
    !/^(completion|embedding|embeddings|assistant|realtime|image)$/.test(
      model[3]?.split(':')[0] ?? '',
    )
  ) {
    return modelApi(
      ctx,
      doc,
      cpath,
      model[1] as 'openai' | 'anthropic',
      model[2],
      model[3] as string,
      config,
    )
  }
  if (id === 'echo') return { type: 'mock' }
  if (id === 'http' || id === 'https' || /^https?:\/\//.test(id))
    return http(ctx, doc, cpath, id, config)
  if (id.startsWith('exec:')) return exec(ctx, doc, path, id.slice('exec:'.length).trim(), config)
  const script = fileRef(id) ?? (id.startsWith('python:') ? id.slice('python:'.length) : undefined)
  if (script !== undefined && /\.py(:\w+)?$/.test(script))
    return scriptProvider(ctx, doc, path, script, config, 'python')
  if (script !== undefined && /\.[cm]?js(:\w+)?$/.test(script))
    return scriptProvider(ctx, doc, path, script, config, 'js')
  ctx.unmapped(
    doc,
    path,
    `provider "${id}"`,
    'shipgate has no such provider; openai (and OpenAI-compatible servers via baseUrl), anthropic, http and exec are mapped',
  )
  return undefined
}

function modelApi(
  ctx: ImportContext,
  doc: PromptfooDocument,
  path: DocPath,
  type: 'openai' | 'anthropic',
  api: string | undefined,
  model: string,
  config: Record<string, unknown>,
): Entry {
  const entry: Entry = { type, model }
  if (api === 'responses') entry.api = 'responses'
  const params: Entry = {}
  for (const [key, value] of Object.entries(config)) {
    const at = [...path, key]
    if (PARAMS.has(key)) params[key] = value
    else if (key === 'apiKeyEnvar' && typeof value === 'string') entry.apiKeyEnv = value
    else if ((key === 'apiBaseUrl' || key === 'baseUrl') && typeof value === 'string')
      entry.baseUrl = envRefs(ctx, value)
    else if (key === 'apiHost' && typeof value === 'string')
      entry.baseUrl = `https://${envRefs(ctx, value)}/v1`
    else if (key === 'organization' && type === 'openai' && typeof value === 'string')
      entry.organization = value
    else if (key === 'headers' && record(value) !== undefined)
      entry.headers = headers(ctx, doc, at, record(value) ?? {})
    else if (key === 'apiKey' && typeof value === 'string' && envName(value) !== undefined)
      entry.apiKeyEnv = envName(value)
    else if (key === 'apiKey')
      ctx.unmapped(
        doc,
        at,
        `provider ${type}:${model}: apiKey`,
        `a literal key is never copied into shipgate.yaml; put it in the environment variable ${type === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY'} (or set apiKeyEnv)`,
      )
    else
      ctx.unmapped(
        doc,
        at,
        `provider ${type}:${model}: config.${key}`,
        `shipgate's ${type} provider has no such setting`,
      )
  }
  if (Object.keys(params).length > 0) entry.params = params
  if (typeof entry.apiKeyEnv === 'string') ctx.envNames.add(entry.apiKeyEnv)
  return entry
}

/**
 * The judge provider an assertion (or `defaultTest.options.provider`) names: a provider id or
 * object, or `{ text, embedding }`. Returns the name of the text judge.
 */
export function judgeProvider(
  ctx: ImportContext,
  doc: PromptfooDocument,
  path: DocPath,
  raw: unknown,
): string | undefined {
  const obj = record(raw)
  if (
    obj !== undefined &&
    obj.id === undefined &&
    (obj.text !== undefined || obj.embedding !== undefined)
  ) {
    const embeddings =
      obj.embedding === undefined
        ? undefined
        : mapProvider(ctx, doc, [...path, 'embedding'], obj.embedding)
    if (embeddings !== undefined) ctx.judge.embeddings ??= embeddings
    return obj.text === undefined ? undefined : mapProvider(ctx, doc, [...path, 'text'], obj.text)
  }
  return mapProvider(ctx, doc, path, raw)
}

import { resolve } from 'node:path'
import type { ConfigIssue } from '../errors.js'
import { compilePrompt, type CompiledPrompt, type MessageTemplate } from '../prompts/template.js'
import { displayPath } from '../utils/paths.js'
import type { PromptConfig } from './schema.js'
import type { Location } from './source.js'
import { readText } from './text.js'

type TemplateConfig = string | { file: string }

/**
 * Reads and compiles every prompt. A plain string is a template file rendered as the user
 * message; `{ system, user }` and `{ messages }` take inline text or `{ file }` per message.
 */
export async function loadPrompts(
  prompts: Readonly<Record<string, PromptConfig>>,
  context: { baseDir: string; configFile: string; position: (name: string) => Location },
): Promise<{ prompts: Map<string, CompiledPrompt>; issues: ConfigIssue[] }> {
  const compiled = new Map<string, CompiledPrompt>()
  const issues: ConfigIssue[] = []
  for (const [name, config] of Object.entries(prompts)) {
    const at = { file: context.configFile, ...context.position(name) }
    try {
      const messages = await Promise.all(parts(config).map((p) => readPart(p, context.baseDir)))
      compiled.set(name, compilePrompt(name, messages))
    } catch (error) {
      issues.push({
        ...at,
        message: `prompt "${name}": ${(error as Error).message}`,
        hint: hintFor(error),
      })
    }
  }
  return { prompts: compiled, issues }
}

function parts(
  config: PromptConfig,
): { role: MessageTemplate['role']; template: TemplateConfig }[] {
  if (typeof config === 'string') return [{ role: 'user', template: { file: config } }]
  if ('messages' in config)
    return config.messages.map((m) => ({ role: m.role, template: m.content }))
  const system =
    config.system === undefined ? [] : [{ role: 'system' as const, template: config.system }]
  return [...system, { role: 'user', template: config.user }]
}

async function readPart(
  part: { role: MessageTemplate['role']; template: TemplateConfig },
  baseDir: string,
): Promise<MessageTemplate> {
  if (typeof part.template === 'string') return { role: part.role, source: part.template }
  const path = resolve(baseDir, part.template.file)
  const shown = displayPath(path, baseDir)
  const read = await readText(path, shown)
  if ('unreadable' in read) {
    throw new Error(`cannot read template file: ${read.unreadable.message}`)
  }
  return { role: part.role, source: read.text, file: shown }
}

function hintFor(error: unknown): string {
  const message = (error as Error).message
  if (message.startsWith('cannot read')) return 'check the path; it is relative to shipgate.yaml'
  return 'fix the liquid syntax: {{ var }} for values, {% if %}...{% endif %} for logic'
}

import { errorMessage } from '../utils/errors.js'
import type { Template } from 'liquidjs'
import type { ChatMessage } from '../contracts/provider.js'
import { canonicalJson, contentVersion } from '../utils/hash.js'
import { strictLiquid } from '../utils/liquid.js'

/** One message of a prompt, as a template. */
export interface MessageTemplate {
  readonly role: ChatMessage['role']
  readonly source: string
  /** The file the template came from, when not inline. */
  readonly file?: string
}

/** A prompt ready to render: its messages parsed once, its version the hash of their text. */
export interface CompiledPrompt {
  readonly name: string
  /** Content hash of the messages: changes exactly when the prompt's text or roles change. */
  readonly version: string
  readonly messages: readonly MessageTemplate[]
  /** Renders the messages with `vars`; throws {@link RenderError} for an unknown variable. */
  render(vars: Readonly<Record<string, unknown>>): ChatMessage[]
}

/** A template that failed to render: usually a variable the case does not define. */
export class RenderError extends Error {
  override readonly name = 'RenderError'
}

/** Prompts are strict liquid: a typo in a variable is an error, not an empty string. */
const engine = strictLiquid()

/** Parses a prompt's templates; throws liquidjs's error (with line and column) on bad syntax. */
export function compilePrompt(name: string, messages: readonly MessageTemplate[]): CompiledPrompt {
  const parsed: Template[][] = messages.map((m) => engine.parse(m.source, m.file))
  const version = contentVersion(canonicalJson(messages.map((m) => [m.role, m.source])))
  return {
    name,
    version,
    messages,
    render(vars) {
      return messages.map((m, i) => {
        try {
          return {
            role: m.role,
            content: engine.renderSync(parsed[i] as Template[], vars) as string,
          }
        } catch (error) {
          throw new RenderError(renderMessage(error), { cause: error })
        }
      })
    },
  }
}

function renderMessage(error: unknown): string {
  const message = errorMessage(error)
  // liquidjs: "undefined variable: code, line:3, col:5" — keep the part users act on.
  return message.replace(/, file:.*$/, '')
}

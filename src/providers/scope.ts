import type { CompletionRequest } from '../contracts/provider.js'

/**
 * What a request template of the user's own service sees: the case's vars, and `prompt` (the
 * last user message), `system` (the system messages) and `messages` (all of them).
 */
export function requestScope(request: CompletionRequest): Record<string, unknown> {
  const users = request.messages.filter((m) => m.role === 'user')
  return {
    ...request.vars,
    vars: request.vars,
    prompt: users.at(-1)?.content ?? '',
    system: request.messages
      .filter((m) => m.role === 'system')
      .map((m) => m.content)
      .join('\n\n'),
    messages: request.messages,
  }
}

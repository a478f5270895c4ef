import type { ChatMessage } from '../../contracts/provider.js'
import type { LoadedCase } from '../../config/load.js'
import { shapeOf, type PlannedCase } from '../../core/eval/plan.js'
import type { ConfigIssue } from '../../errors.js'
import { RenderError, type CompiledPrompt } from '../../prompts/template.js'

/** The shapes of vars already rendered with `prompt` (see {@link renderer}). */
export function shapesOf(shapes: Map<string, Set<string>>, prompt: string): Set<string> {
  let set = shapes.get(prompt)
  if (set === undefined) shapes.set(prompt, (set = new Set()))
  return set
}

/**
 * The case's prompt renderer. A case whose vars have a shape (keys and value types, nested) not
 * seen before in the suite is rendered now, so a missing variable is a config error before any
 * call is paid for; cases of a known shape render when their call starts (rendering 10,000
 * prompts up front would delay every run). A later failure, possible only for errors that
 * depend on values rather than on which variables exist, is that sample's error.
 */
export function renderer(
  prompt: CompiledPrompt,
  vars: Record<string, unknown>,
  id: string,
  kase: LoadedCase,
  seen: { shapes: Set<string>; issues: ConfigIssue[] },
): PlannedCase['messages'] | undefined {
  let rendered: readonly ChatMessage[] | undefined
  const render = (): readonly ChatMessage[] => (rendered ??= prompt.render(vars))
  const shape = shapeOf(vars)
  if (seen.shapes.has(shape)) return render
  try {
    render()
    seen.shapes.add(shape)
    return render
  } catch (error) {
    if (!(error instanceof RenderError)) throw error
    seen.issues.push({
      ...kase.location,
      message: `case "${id}": prompt "${prompt.name}" does not render: ${error.message}`,
      hint: 'define the variable in the case vars (or the suite vars), or fix the template',
    })
    return undefined
  }
}

import type { ImportContext } from './context.js'

/**
 * promptfoo's `{{env.NAME}}` (and `{{ env.NAME }}`) in a string becomes shipgate's `${NAME}`;
 * the names are remembered (the load-back check sets them).
 */
export function envRefs(ctx: ImportContext, text: string): string {
  return text.replace(/\{\{-?\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*-?\}\}/g, (_, name: string) => {
    ctx.envNames.add(name)
    return `\${${name}}`
  })
}

/** The variable a whole-string `{{env.NAME}}` names, or undefined. */
export function envName(text: string): string | undefined {
  return /^\s*\{\{-?\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*-?\}\}\s*$/.exec(text)?.[1]
}

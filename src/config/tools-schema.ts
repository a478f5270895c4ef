import * as z from '../utils/zod.js'

/**
 * A suite's `tools:`: the tools (functions) sent with each of its requests, in the one shape
 * every provider turns into its API's format (`ToolSpec` in src/contracts/provider.ts).
 */

/** A name every API accepts: Anthropic and OpenAI both allow `^[a-zA-Z0-9_-]{1,64}$`. */
const toolName = z
  .string()
  .check(
    z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - (at most 64): a tool name'),
    z.describe('Name the model calls the tool by: letters, digits, `_` and `-`, at most 64.'),
  )

/** A JSON Schema of an object: what every API takes as a function's parameters. */
const objectSchema = z.record(z.string(), z.unknown()).check(
  z.refine((schema) => schema.type === 'object', {
    error: 'the parameters must be a JSON Schema of an object: { type: object, properties: … }',
  }),
  z.describe('JSON Schema of the arguments: `{ type: object, properties, required }`.'),
)

/** One tool. */
export const toolSchema = z
  .strictObject({
    name: toolName,
    description: z.optional(
      z.string().check(z.describe('What the tool does, for the model to decide when to call it.')),
    ),
    parameters: objectSchema,
  })
  .check(z.describe('A tool the model may call: { name, description, parameters }.'))

/** The tools of a suite; names are unique. */
export const toolsSchema = z.array(toolSchema).check(
  z.refine((tools) => new Set(tools.map((t) => t.name)).size === tools.length, {
    error: 'two tools have the same name; each tool needs its own',
  }),
  z.describe(
    "Tools (functions) sent with every request of the suite, in the API's own format; the answer's calls are in `toolCalls` (docs/providers.md).",
  ),
)

export type ToolConfig = z.output<typeof toolSchema>

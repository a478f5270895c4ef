import * as z from '../../utils/zod.js'
import { providerCommon } from '../common.js'
import { toolCallPaths } from '../tool-paths.js'
import { usagePaths } from '../usage-paths.js'

/** Options of the `exec` provider: a command that answers on stdout. */
export const execOptions = z
  .strictObject({
    type: z.literal('exec'),
    ...providerCommon,
    command: z
      .union([z.string().check(z.minLength(1)), z.array(z.string()).check(z.minLength(1))])
      .check(
        z.describe(
          'A shell command line, or [program, ...args] run without a shell. Relative to this file.',
        ),
      ),
    cwd: z.optional(z.string()),
    entry: z.optional(
      z
        .string()
        .check(
          z.describe(
            'JS/TS entry point of the system under test, for `shipgate select` (default: a script in `command`).',
          ),
        ),
    ),
    env: z
      ._default(z.record(z.string(), z.string()), {})
      .check(z.describe('Extra environment variables for the command.')),
    output: z.optional(
      z.string().check(z.describe('When stdout is JSON: the path of the answer text.')),
    ),
    usage: usagePaths,
    ...toolCallPaths,
    model: z.optional(z.string().check(z.describe('Model to price the usage as.'))),
  })
  .check(
    z.describe(
      'A command: gets {prompt, system, messages, vars} as JSON on stdin, answers on stdout.',
    ),
  )

export type ExecOptions = z.output<typeof execOptions>

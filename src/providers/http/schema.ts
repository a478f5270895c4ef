import * as z from '../../utils/zod.js'
import { providerCommon } from '../common.js'
import { toolCallPaths } from '../tool-paths.js'
import { usagePaths } from '../usage-paths.js'

/** Options of the `http` provider: the user's own service, the system under test. */
export const httpOptions = z
  .strictObject({
    type: z.literal('http'),
    ...providerCommon,
    url: z.string().check(z.url(), z.describe('Endpoint, e.g. "${AGENT_URL}/agent/query".')),
    entry: z.optional(
      z
        .string()
        .check(
          z.describe(
            'JS/TS entry point of the service behind the URL, for `shipgate select`: its import graph selects the suite.',
          ),
        ),
    ),
    method: z._default(z.enum(['GET', 'POST', 'PUT', 'PATCH']), 'POST'),
    headers: z
      ._default(z.record(z.string(), z.string()), {})
      .check(z.describe('Request headers; write secrets as ${VAR}.')),
    body: z.optional(
      z
        .unknown()
        .check(
          z.describe(
            'JSON body; strings are liquid templates over prompt, system, messages and vars.',
          ),
        ),
    ),
    output: z.optional(
      z
        .string()
        .check(
          z.describe('JSON path of the answer text (e.g. response); the whole body if unset.'),
        ),
    ),
    usage: usagePaths,
    ...toolCallPaths,
    model: z.optional(z.string().check(z.describe('Model to price the usage as.'))),
  })
  .check(z.describe('Your own HTTP service: a request per case, the answer read by JSON path.'))

export type HttpOptions = z.output<typeof httpOptions>

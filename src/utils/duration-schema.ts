import { isDuration } from './duration.js'
import * as z from './zod.js'

/** `30s`, `5m`, `1h`, `250ms`, or a number of ms. */
export const durationSchema = z.union([
  z.int().check(z.nonnegative()),
  z.string().check(z.refine(isDuration, 'a duration such as 500ms, 30s, 5m or 1h')),
])

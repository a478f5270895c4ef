import * as z from '../utils/zod.js'
import type { AssertionSpec, AssertionType } from '../contracts/assertion.js'
import { ShipgateError } from '../errors.js'
import { verdict } from './shared.js'

const count = z.int().check(z.nonnegative())

const lengthValue = z.strictObject({ min: z.optional(count), max: z.optional(count) }).check(
  z.refine((v) => v.min !== undefined || v.max !== undefined, {
    message: 'give `min`, `max` or both',
  }),
  z.refine((v) => v.min === undefined || v.max === undefined || v.min <= v.max, {
    message: '`min` must not exceed `max`',
  }),
)

/** `length`: the output's length in characters is within `{ min, max }`. */
export const length: AssertionType<z.output<typeof lengthValue>> = {
  type: 'length',
  negatable: false,
  value: lengthValue,
  prepare({ min, max }) {
    return ({ output }) => {
      const n = [...output].length
      if (min !== undefined && n < min)
        return verdict(false, `output has ${n} characters, fewer than ${min}`)
      if (max !== undefined && n > max)
        return verdict(false, `output has ${n} characters, more than ${max}`)
      return verdict(true, `output has ${n} characters`)
    }
  },
}

/** The limit of a `latency` or `cost` assertion: `threshold`, or `value` as promptfoo also accepts. */
function limitOf(value: number | undefined, spec: AssertionSpec, unit: string): number {
  const limit = spec.threshold ?? value
  if (limit === undefined) {
    throw new ShipgateError('config', `${spec.type} needs a limit`, {
      hint: `write { type: ${spec.type}, threshold: <max ${unit}> }`,
    })
  }
  return limit
}

/** `latency`: the call took at most `threshold` milliseconds. */
export const latency: AssertionType<number | undefined> = {
  type: 'latency',
  negatable: false,
  value: z.optional(z.number().check(z.nonnegative())),
  prepare(value, spec) {
    const max = limitOf(value, spec, 'milliseconds')
    return ({ latencyMs }) =>
      verdict(
        latencyMs <= max,
        `latency ${Math.round(latencyMs)} ms ${latencyMs <= max ? '<=' : '>'} ${max} ms`,
      )
  },
}

/** `cost`: the call cost at most `threshold` USD; an unpriced call fails, since it cannot be checked. */
export const cost: AssertionType<number | undefined> = {
  type: 'cost',
  negatable: false,
  value: z.optional(z.number().check(z.nonnegative())),
  prepare(value, spec) {
    const max = limitOf(value, spec, 'USD')
    return ({ costUsd }) => {
      if (costUsd === null)
        return verdict(false, 'cost unknown (model unpriced); add a price under `pricing:`')
      return verdict(
        costUsd <= max,
        `cost $${costUsd.toFixed(6)} ${costUsd <= max ? '<=' : '>'} $${max}`,
      )
    }
  },
}

import type { AssertionType, Check } from '../contracts/assertion.js'
import { quote, stringList, text, verdict } from './shared.js'

type Fold = (s: string) => string
const exact: Fold = (s) => s
const lower: Fold = (s) => s.toLowerCase()

function containsCheck(needle: string, fold: Fold): Check {
  const want = fold(needle)
  return ({ output }) =>
    fold(output).includes(want)
      ? verdict(true, `output contains ${quote(needle)}`)
      : verdict(false, `output does not contain ${quote(needle)}`)
}

function anyCheck(needles: readonly string[], fold: Fold): Check {
  const wants = needles.map(fold)
  return ({ output }) => {
    const hay = fold(output)
    const found = needles.filter((_, i) => hay.includes(wants[i] as string))
    return found.length > 0
      ? verdict(true, `output contains ${found.map((n) => quote(n)).join(', ')}`)
      : verdict(false, `output contains none of ${needles.map((n) => quote(n)).join(', ')}`)
  }
}

function allCheck(needles: readonly string[], fold: Fold): Check {
  const wants = needles.map(fold)
  return ({ output }) => {
    const hay = fold(output)
    const missing = needles.filter((_, i) => !hay.includes(wants[i] as string))
    return missing.length === 0
      ? verdict(true, `output contains all of ${needles.map((n) => quote(n)).join(', ')}`)
      : verdict(false, `output is missing ${missing.map((n) => quote(n)).join(', ')}`)
  }
}

/** `contains`: the output contains the value (case-sensitive). */
export const contains: AssertionType<string> = {
  type: 'contains',
  negatable: true,
  value: text,
  prepare: (needle) => containsCheck(needle, exact),
}

/** `icontains`: the output contains the value, ignoring case. */
export const icontains: AssertionType<string> = {
  type: 'icontains',
  negatable: true,
  value: text,
  prepare: (needle) => containsCheck(needle, lower),
}

/** `contains-any`: the output contains at least one of the values. */
export const containsAny: AssertionType<string[]> = {
  type: 'contains-any',
  negatable: true,
  value: stringList,
  prepare: (needles) => anyCheck(needles, exact),
}

/** `icontains-any`: like `contains-any`, ignoring case. */
export const icontainsAny: AssertionType<string[]> = {
  type: 'icontains-any',
  negatable: true,
  value: stringList,
  prepare: (needles) => anyCheck(needles, lower),
}

/** `contains-all`: the output contains every one of the values. */
export const containsAll: AssertionType<string[]> = {
  type: 'contains-all',
  negatable: true,
  value: stringList,
  prepare: (needles) => allCheck(needles, exact),
}

/** `icontains-all`: like `contains-all`, ignoring case. */
export const icontainsAll: AssertionType<string[]> = {
  type: 'icontains-all',
  negatable: true,
  value: stringList,
  prepare: (needles) => allCheck(needles, lower),
}

/** `shipgate flags` in the terminal: the flags of a file, one flag, a change, the history. */
import type {
  FlagChange,
  FlagDetail,
  FlagList,
  FlagSummary,
  FlagValidation,
  FlagWrite,
} from '../contracts/flags.js'
import { oneLine, table } from './format.js'

/** The flags as a table: variants, default, and what the flag serves. */
export function renderFlagList(list: FlagList): string {
  if (list.flags.length === 0) {
    return `${list.file}: no flags yet (add one: shipgate flags set KEY --variant NAME=VALUE)\n`
  }
  const rows = list.flags.map((f) => [
    f.key,
    f.state === 'ENABLED' ? 'on' : 'off',
    Object.keys(f.variants).join(', '),
    f.defaultVariant,
    serves(f),
  ])
  return `${table([['flag', 'state', 'variants', 'default', 'serves'], ...rows])}\n`
}

/** One flag in full: what it serves, its variants' values, and its definition. */
export function renderFlag(flag: FlagDetail): string {
  const variants = Object.entries(flag.variants).map(
    ([name, value]) =>
      `  ${name === flag.defaultVariant ? '*' : ' '} ${name} = ${JSON.stringify(value)}\n`,
  )
  const state = flag.state === 'ENABLED' ? '' : ' (DISABLED: callers get their default value)'
  return [
    `${flag.key} in ${flag.file}${state}\n`,
    `serves: ${serves(flag)}\n`,
    'variants (* default):\n',
    ...variants,
    ...(flag.definition.targeting === undefined
      ? []
      : [`targeting: ${JSON.stringify(flag.definition.targeting)}\n`]),
  ].join('')
}

/** What `set` or `ramp` did. */
export function renderFlagWrite(write: FlagWrite): string {
  if (write.change === null) return `no change: the flag already is as asked (${write.file})\n`
  const { flag, summary, who } = write.change
  return `${flag}: ${summary}\nwrote ${write.file}; recorded in ${write.history} (by ${who})\n`
}

/** A valid file. */
export function renderFlagValidation(result: FlagValidation): string {
  return `${result.file}: valid, ${result.flags} flag${result.flags === 1 ? '' : 's'}\n`
}

/** The recorded changes, oldest first. */
export function renderFlagHistory(changes: readonly FlagChange[]): string {
  if (changes.length === 0) return 'no recorded changes yet\n'
  const rows = changes.map((c) => [
    c.at.replace('T', ' ').slice(0, 19),
    oneLine(c.who),
    c.flag,
    c.action,
    oneLine(c.summary),
    oneLine(c.reason ?? ''),
  ])
  return `${table([['when (UTC)', 'who', 'flag', 'action', 'change', 'reason'], ...rows])}\n`
}

function serves(flag: FlagSummary): string {
  if (flag.rollout !== null) {
    const { from, to, percent } = flag.rollout
    return `${from} → ${to} ${percent}% (rollout)`
  }
  return flag.targeting === 'custom'
    ? `${flag.defaultVariant} + custom targeting`
    : `${flag.defaultVariant} to everyone`
}

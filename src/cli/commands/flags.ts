/**
 * `shipgate flags list|get|set|ramp|validate|history`: the flags of a flagd flag file, checked
 * by the runtime SDK's compiler, changed atomically, ramps only forward, every change recorded.
 */
import { InvalidArgumentError, Option } from '@commander-js/extra-typings'
import type { FlagVariantValue } from '@shipgate/runtime/flags'
import { defineCommand, defineGroup } from '../define.js'
import { EXIT, json } from '../io.js'
import { configOption, jsonOption, limitOption } from '../options.js'

const fileOption = () =>
  new Option(
    '--file <file>',
    'the flagd flag file (default: release.flags of shipgate.yaml, else flags.json next to it)',
  )

/** The flag-file choice of a command run with `--file` / `-c`. */
const choice = (
  io: { cwd: string; env: Readonly<Record<string, string | undefined>> },
  flags: { file?: string; config?: string },
) => ({ cwd: io.cwd, env: io.env, file: flags.file, configFile: flags.config })

/** `--variant NAME=JSON` (repeatable); a value that is not JSON is a string. */
function variant(
  value: string,
  previous: Record<string, FlagVariantValue> | undefined,
): Record<string, FlagVariantValue> {
  const at = value.indexOf('=')
  if (at <= 0) throw new InvalidArgumentError(`"${value}" is not NAME=VALUE (e.g. on=true, v2=v2)`)
  const raw = value.slice(at + 1)
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    parsed = raw
  }
  if (parsed === null || Array.isArray(parsed)) {
    throw new InvalidArgumentError(`"${value}": a variant is a boolean, string, number or object`)
  }
  return { ...previous, [value.slice(0, at)]: parsed as FlagVariantValue }
}

/** A percentage: 0–100. */
function percent(value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) {
    throw new InvalidArgumentError('expected a percentage from 0 to 100, e.g. 25 or 0.5')
  }
  return n
}

const list = defineCommand({
  meta: { name: 'list', description: 'every flag: its variants, default, and rollout' },
  options: (command) =>
    command.addOption(fileOption()).addOption(configOption()).addOption(jsonOption('the flags')),
  async run({ flags, io }) {
    const { listFlags } = await import('../../workflows/flags/index.js')
    const found = await listFlags(choice(io, flags))
    const { renderFlagList } = await import('../../reporters/flags.js')
    io.stdout(flags.json === true ? json(found) : renderFlagList(found))
    return EXIT.ok
  },
})

const get = defineCommand({
  meta: { name: 'get', description: 'one flag in full' },
  options: (command) =>
    command
      .argument('<key>', 'the flag key')
      .addOption(fileOption())
      .addOption(configOption())
      .addOption(jsonOption('the flag and its definition')),
  async run({ args: [key], flags, io }) {
    const { getFlag } = await import('../../workflows/flags/index.js')
    const found = await getFlag(choice(io, flags), key)
    const { renderFlag } = await import('../../reporters/flags.js')
    io.stdout(flags.json === true ? json(found) : renderFlag(found))
    return EXIT.ok
  },
})

const set = defineCommand({
  meta: {
    name: 'set',
    description: "set a flag's default variant and/or add variants (a new key makes a new flag)",
  },
  options: (command) =>
    command
      .argument('<key>', 'the flag key')
      .option('--default <variant>', 'the variant served by default')
      .option(
        '--variant <name=json>',
        'add or replace a variant: on=true, v2=v2, cfg=\'{"model":"m"}\' (repeatable)',
        variant,
      )
      .option('--reason <text>', 'why, for the history')
      .addOption(fileOption())
      .addOption(configOption())
      .addOption(jsonOption('the change')),
  async run({ args: [key], flags, io }) {
    const { setFlag } = await import('../../workflows/flags/index.js')
    const request = { defaultVariant: flags.default, variants: flags.variant }
    const written = await setFlag({ ...choice(io, flags), reason: flags.reason }, key, request)
    const { renderFlagWrite } = await import('../../reporters/flags.js')
    io.stdout(flags.json === true ? json(written) : renderFlagWrite(written))
    return EXIT.ok
  },
})

const ramp = defineCommand({
  meta: {
    name: 'ramp',
    description: 'move a percentage rollout forward (refused if any user would move back)',
  },
  options: (command) =>
    command
      .argument('<key>', 'the flag key')
      .option('--to <variant>', 'the variant being rolled out (from: the default variant)')
      .option('--percent <p>', 'share of users on --to: 0–100, up to two decimals', percent)
      .option(
        '--rollback',
        'allow lowering the share: users move back to the default variant (alone: everyone back)',
      )
      .option('--reason <text>', 'why, for the history')
      .addOption(fileOption())
      .addOption(configOption())
      .addOption(jsonOption('the change')),
  async run({ args: [key], flags, io }) {
    const { rampFlag } = await import('../../workflows/flags/index.js')
    const request = { to: flags.to, percent: flags.percent, rollback: flags.rollback === true }
    const written = await rampFlag({ ...choice(io, flags), reason: flags.reason }, key, request)
    const { renderFlagWrite } = await import('../../reporters/flags.js')
    io.stdout(flags.json === true ? json(written) : renderFlagWrite(written))
    return EXIT.ok
  },
})

const validate = defineCommand({
  meta: { name: 'validate', description: 'check the flag file: exit 2 with file:line errors' },
  options: (command) =>
    command.addOption(fileOption()).addOption(configOption()).addOption(jsonOption('the result')),
  async run({ flags, io }) {
    const { validateFlags } = await import('../../workflows/flags/index.js')
    const result = await validateFlags(choice(io, flags))
    const { renderFlagValidation } = await import('../../reporters/flags.js')
    io.stdout(flags.json === true ? json(result) : renderFlagValidation(result))
    return EXIT.ok
  },
})

const history = defineCommand({
  meta: { name: 'history', description: 'the recorded changes (of one flag), newest last' },
  options: (command) =>
    command
      .argument('[key]', 'only this flag')
      .addOption(limitOption())
      .addOption(fileOption())
      .addOption(configOption())
      .addOption(jsonOption('the changes, with the flag before and after')),
  async run({ args: [key], flags, io }) {
    const { flagHistory } = await import('../../workflows/flags/index.js')
    const changes = (await flagHistory(choice(io, flags), key)).slice(-flags.limit)
    const { renderFlagHistory } = await import('../../reporters/flags.js')
    io.stdout(flags.json === true ? json(changes) : renderFlagHistory(changes))
    return EXIT.ok
  },
})

/** `shipgate flags ...`. */
export default defineGroup(
  { name: 'flags', description: 'list, set, ramp and validate the flags of a flagd flag file' },
  [list, get, set, ramp, validate, history],
)

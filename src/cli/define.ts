/**
 * How a command is written: `defineCommand({ meta, options, run })`. `options` declares the
 * command's arguments and options once, on a commander command; the types `run` receives are
 * inferred from that declaration (@commander-js/extra-typings), so a renamed or removed flag is
 * a type error where it is used, not a silent `undefined`.
 */
import { Command, type CommandUnknownOpts, type OptionValues } from '@commander-js/extra-typings'
import type { CommandIO } from './io.js'

/** Name and one-line help of a command. */
export interface CommandMeta {
  readonly name: string
  readonly description: string
}

/** What a command's `run` receives: its arguments and flags, typed from its declaration. */
export interface CommandInput<Args extends unknown[], Flags extends OptionValues> {
  readonly args: Args
  readonly flags: Flags
  readonly io: CommandIO
}

/** Called with a command's exit code when it has run. */
export type Done = (exitCode: number) => void

/** A command or a group, as the program registers it. */
export interface CommandEntry {
  readonly meta: CommandMeta
  /** The commander command, wired to run with `io` and report its exit code to `done`. */
  build(io: CommandIO, done: Done): CommandUnknownOpts
}

/**
 * What a declared command is to the type checker: its parsed arguments and its options. Only
 * these two members are matched — comparing whole commander types is very slow.
 */
export interface Declared {
  readonly processedArgs: unknown[]
  opts(): OptionValues
}

/** The arguments of a declared command. */
export type ArgsOf<C extends Declared> = C['processedArgs']

/** The flags of a declared command. */
export type FlagsOf<C extends Declared> = ReturnType<C['opts']>

/** A command: its help, its declaration, and what it does; `run` returns the exit code. */
export interface CommandDefinition<C extends Declared> extends CommandEntry {
  /** Declares arguments and options on the blank `command` and returns it. */
  readonly options: (command: Command) => C
  readonly run: (input: CommandInput<ArgsOf<C>, FlagsOf<C>>) => Promise<number>
}

/** Declares a command; the flag and argument types of `run` come from `options`. */
export function defineCommand<C extends Declared>(spec: {
  readonly meta: CommandMeta
  readonly options: (command: Command) => C
  readonly run: (input: CommandInput<ArgsOf<C>, FlagsOf<C>>) => Promise<number>
}): CommandDefinition<C> {
  return {
    ...spec,
    build(io, done) {
      const blank = new Command(spec.meta.name).description(spec.meta.description)
      const declared = spec.options(blank)
      // `options` returned the command it was given, with its declarations added.
      const command = declared as unknown as CommandUnknownOpts
      command.action(async () => {
        const input = { args: declared.processedArgs, flags: declared.opts(), io }
        done(await spec.run(input as CommandInput<ArgsOf<C>, FlagsOf<C>>))
      })
      return command
    },
  }
}

/** Declares a command with subcommands (`runs list`, `release diff`). */
export function defineGroup(meta: CommandMeta, commands: readonly CommandEntry[]): CommandEntry {
  return {
    meta,
    build(io, done) {
      const group = new Command(meta.name).description(meta.description)
      for (const command of commands) group.addCommand(command.build(io, done))
      return group
    },
  }
}

/** The CD commands: `deploy`, `rollback` and `target stop` (smoke and monitor are in program.ts). */
import type { Command } from 'commander'
import type { CommandIO } from './io.js'

/** Registers the CD commands on `program`. */
export function cdCommands(program: Command, io: CommandIO, done: (code: number) => void): void {
  program
    .command('deploy')
    .description(
      'deploy a release: verify, plan, apply, wait healthy, smoke, monitor; roll back on failure',
    )
    .argument('<target>', 'a target under targets: in the config')
    .option('-c, --config <file>', 'config file (default: shipgate.yaml found upward)')
    .option('--release <ref>', 'release id, prefix or name (default: the latest)')
    .option('--dry-run', 'verify the target and print the plan; change nothing')
    .option('--resume', "finish or roll back the target's interrupted deploy")
    .option('--no-monitor', 'skip the monitor step')
    .option('--duration <d>', 'how long the monitor watches (overrides monitor.duration)')
    .option('--interval <d>', 'monitor interval (overrides monitor.interval)')
    .option('--json', 'print the deployment record as JSON')
    .action(async (target: string, opts: DeployFlags) => {
      const { runDeployCommand } = await import('./commands/deploy.js')
      done(await runDeployCommand(target, opts, io))
    })
  program
    .command('rollback')
    .description(
      'coordinated rollback: code through the target, prompt and model versions by variables or flags',
    )
    .argument('<target>', 'a target under targets: in the config')
    .option('-c, --config <file>', 'config file (default: shipgate.yaml found upward)')
    .option('--to <ref>', 'release to return to (default: the one before the current)')
    .option('--only <part>', 'code, prompt, model or all (default all); prompt is the fastest path')
    .option('--json', 'print the result as JSON')
    .action(async (target: string, opts: RollbackFlags) => {
      const { runRollbackCommand } = await import('./commands/rollback.js')
      done(await runRollbackCommand(target, opts, io))
    })
  const target = program.command('target').description('manage deploy targets')
  target
    .command('stop')
    .description("stop a local target's supervisor, proxy and instances")
    .argument('<name>', 'a local target under targets:')
    .option('-c, --config <file>', 'config file (default: shipgate.yaml found upward)')
    .action(async (name: string, opts: TargetFlags) => {
      const { runTargetStop } = await import('./commands/target.js')
      done(await runTargetStop(name, opts, io))
    })
}

/** Flags of `shipgate deploy`. */
export interface DeployFlags {
  config?: string
  release?: string
  dryRun?: boolean
  resume?: boolean
  monitor?: boolean
  duration?: string
  interval?: string
  json?: boolean
}

/** Flags of `shipgate rollback`. */
export interface RollbackFlags {
  config?: string
  to?: string
  only?: string
  json?: boolean
}

/** Flags of `shipgate target stop`. */
export interface TargetFlags {
  config?: string
}

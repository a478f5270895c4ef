import { Option } from '@commander-js/extra-typings'
import { defineCommand } from '../define.js'
import { EXIT } from '../io.js'

/** `shipgate init [dir]`: writes the example project and says what to run next. */
export default defineCommand({
  meta: {
    name: 'init',
    description:
      'create a working example project (shipgate.yaml, prompts/, evals/) on the mock provider',
  },
  options: (command) =>
    command
      .argument('[dir]', 'directory to create it in', '.')
      .option('--force', 'overwrite files that exist')
      .addOption(
        new Option(
          '--ci <system>',
          'write the CI pipeline instead: github (.github/workflows/shipgate.yml) or gitlab (.gitlab-ci.yml)',
        ).choices(['github', 'gitlab'] as const),
      )
      .option(
        '--cd',
        'with --ci: also write the deploy, rollback and health jobs when shipgate.yaml has no targets (for targets staging and production)',
      ),
  async run({ args: [dir], flags, io }) {
    const { initProject } = await import('../../workflows/init/index.js')
    const result = await initProject(dir === '.' ? io.cwd : dir, {
      force: flags.force === true,
      ci: flags.ci,
      cd: flags.cd === true,
    })
    io.stdout(result.files.map((f) => `created ${f}\n`).join(''))
    const cd = result.dir === io.cwd ? '' : `cd ${result.dir} && `
    if (flags.ci !== undefined) {
      io.stderr(pipelineNote(result.targets ?? [], result.branch ?? ''))
      if (flags.ci === 'github') io.stderr(canaryNote(result.targets ?? [], result.canary ?? []))
    }
    io.stderr(
      flags.ci === undefined
        ? `\nnext: ${cd}npx shipgate eval\n`
        : `\nnext: record cassettes (${cd}npx shipgate eval --record), commit them and the pipeline file\n`,
    )
    return EXIT.ok
  },
})

/** What the pipeline runs on, and why it has CD jobs or none. */
function pipelineNote(targets: readonly string[], branch: string): string {
  const on = `baselines and deploys from the default branch ${branch}`
  return targets.length === 0
    ? `\nCI only (${on}): shipgate.yaml has no targets, so no deploy, rollback or health jobs; add targets: and run again with --force, or pass --cd\n`
    : `\nCD jobs for ${targets.join(', ')} (${on})\n`
}

/** Whether the manual canary workflow was written, and how to get it when it was not. */
function canaryNote(targets: readonly string[], canary: readonly string[]): string {
  if (canary.length > 0) {
    return `canary workflow (by hand, with a version) for ${canary.join(', ')}: their rollout is a canary\n`
  }
  return targets.length === 0
    ? ''
    : 'no canary workflow: no target deploys as a canary; set rollout.strategy: canary (or per target) and run again with --force\n'
}

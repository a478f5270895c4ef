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
      ),
  async run({ args: [dir], flags, io }) {
    const { initProject } = await import('../../workflows/init/index.js')
    const result = await initProject(dir === '.' ? io.cwd : dir, {
      force: flags.force === true,
      ci: flags.ci,
    })
    io.stdout(result.files.map((f) => `created ${f}\n`).join(''))
    const cd = result.dir === io.cwd ? '' : `cd ${result.dir} && `
    io.stderr(
      flags.ci === undefined
        ? `\nnext: ${cd}shipgate eval\n`
        : `\nnext: record cassettes (${cd}shipgate eval --record), commit them and the pipeline file\n`,
    )
    return EXIT.ok
  },
})

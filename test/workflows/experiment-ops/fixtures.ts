/** A temp project with an experiment on flag `prompt` (v1 control, v2), for the ops tests. */
import { tempProject } from '../../helpers/project.js'

/** The flag file: `prompt` serving v1 to everyone, with variants v1, v2, v3. */
export const FLAGS = `{
  "flags": {
    "prompt": {
      "state": "ENABLED",
      "defaultVariant": "v1",
      "variants": { "v1": "v1", "v2": "v2", "v3": "v3" }
    }
  }
}
`

/** An experiment block: `allocation` as YAML flow, `extra` lines appended under it. */
export function experimentYaml(name: string, allocation: string, extra = ''): string {
  return `  ${name}:
    flag: prompt
    control: v1
    allocation: ${allocation}
    metrics:
      success: { kind: proportion }
    primary: { metric: success, effect: 0.02 }
    plannedDays: 14
${extra}`
}

/**
 * shipgate.yaml with `experiments` (YAML under `experiments:`), `providers` (the whole
 * `providers:` block) and `more` top-level YAML.
 */
export function configYaml(
  experiments: string,
  more = '',
  providers = 'providers:\n  bot: { type: mock }\n',
): string {
  return `version: 1
${providers}suites: {}
release:
  flags: flags.json
${more}experiments:
${experiments}`
}

/** A project with the two-arm `checkout` (50/50) and three-arm `trio` experiments. */
export function flagProject(flags = FLAGS): string {
  return tempProject({
    'shipgate.yaml': configYaml(
      experimentYaml('checkout', '{ v1: 50, v2: 50 }') +
        experimentYaml('trio', '{ v1: 1, v2: 1, v3: 1 }') +
        experimentYaml('typo', '{ v1: 1, v9: 1 }'),
    ),
    'flags.json': flags,
  })
}

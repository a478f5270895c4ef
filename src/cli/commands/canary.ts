import type { CanaryControl } from '../../contracts/deploy.js'
import { defineCommand, defineGroup } from '../define.js'
import { EXIT, json, project } from '../io.js'
import { configOption, jsonOption } from '../options.js'

/** `shipgate canary status TARGET`: where the target's canary is. */
const status = defineCommand({
  meta: { name: 'status', description: "a target's canary: its steps so far and the last request" },
  options: (command) =>
    command
      .argument('<target>', 'a target under targets:')
      .addOption(configOption('for the store location'))
      .addOption(jsonOption('the deployment, its steps and the last request')),
  async run({ args: [target], flags, io }) {
    const { canaryStatus } = await import('../../workflows/deploy/index.js')
    const found = await canaryStatus({ ...project(io, flags.config), target })
    const { renderCanaryStatus } = await import('../../reporters/deploy.js')
    io.stdout(flags.json === true ? json(found) : renderCanaryStatus(found))
    return EXIT.ok
  },
})

const ACTIONS: Record<CanaryControl, string> = {
  pause: 'hold the running canary at its weight (its analysis keeps judging)',
  resume: 'let a paused canary go on, past a pause until promoted too',
  promote: 'give the canary all the traffic now, skipping the steps left',
  abort: 'abort the running canary: the deploy rolls back to the stable release',
}

/** `shipgate canary pause|resume|promote|abort TARGET`. */
const control = (action: CanaryControl) =>
  defineCommand({
    meta: { name: action, description: ACTIONS[action] },
    options: (command) =>
      command.argument('<target>', 'a target under targets:').addOption(configOption()),
    async run({ args: [target], flags, io }) {
      const { controlCanary } = await import('../../workflows/deploy/index.js')
      const { deployment } = await controlCanary({ ...project(io, flags.config), target, action })
      io.stdout(`${action} requested for ${deployment.id} on ${target}\n`)
      return EXIT.ok
    },
  })

/** `shipgate canary ...`. */
export default defineGroup({ name: 'canary', description: "watch and steer a target's canary" }, [
  status,
  control('pause'),
  control('resume'),
  control('promote'),
  control('abort'),
])

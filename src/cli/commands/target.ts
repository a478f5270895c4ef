import { defineCommand, defineGroup } from '../define.js'
import { EXIT, project } from '../io.js'
import { configOption } from '../options.js'

/** `shipgate target stop NAME`: stops a local target's supervisor, proxy and instances. */
const stop = defineCommand({
  meta: { name: 'stop', description: "stop a local target's supervisor, proxy and instances" },
  options: (command) =>
    command.argument('<name>', 'a local target under targets:').addOption(configOption()),
  async run({ args: [target], flags, io }) {
    const { stopTarget } = await import('../../workflows/deploy/index.js')
    await stopTarget({ ...project(io, flags.config), target })
    io.stdout(`stopped ${target}\n`)
    return EXIT.ok
  },
})

/** `shipgate target stop`. */
export default defineGroup({ name: 'target', description: 'manage deploy targets' }, [stop])

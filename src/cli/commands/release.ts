import { displayPath } from '../../utils/paths.js'
import { defineCommand, defineGroup } from '../define.js'
import { EXIT, json, project } from '../io.js'
import { collect, configOption, jsonOption, limitOption } from '../options.js'

/** `shipgate release create`: record the project as a release, saved and written to disk. */
const create = defineCommand({
  meta: {
    name: 'create',
    description: 'record the project as a release: saved in the store and .shipgate/release.json',
  },
  options: (command) =>
    command
      .addOption(configOption())
      .option('--name <name>', 'a human name for it, e.g. v1.4.0')
      .option(
        '--env <KEY=VALUE>',
        'a runtime setting it runs with, e.g. PROMPT_VERSION=v2 (repeatable; never secrets)',
        collect,
      )
      .addOption(jsonOption('the manifest')),
  async run({ flags, io }) {
    const { createRelease } = await import('../../workflows/release/index.js')
    const created = await createRelease({
      ...project(io, flags.config),
      logger: io.logger,
      name: flags.name,
      settings: flags.env,
    })
    const { manifest, status, file } = created
    const { renderCreatedRelease } = await import('../../reporters/release.js')
    io.stdout(
      flags.json === true
        ? json({ status, file, manifest })
        : renderCreatedRelease(created, displayPath(file, io.cwd)),
    )
    return EXIT.ok
  },
})

/** `shipgate release list`: recorded releases, newest first. */
const list = defineCommand({
  meta: { name: 'list', description: 'recorded releases, newest first' },
  options: (command) =>
    command
      .addOption(configOption('for the store location'))
      .addOption(limitOption())
      .addOption(jsonOption('the releases')),
  async run({ flags, io }) {
    const { listReleases } = await import('../../workflows/release/index.js')
    const releases = await listReleases({
      ...project(io, flags.config),
      limit: flags.limit,
    })
    const { renderReleaseList } = await import('../../reporters/release.js')
    io.stdout(flags.json === true ? json(releases) : renderReleaseList(releases))
    return EXIT.ok
  },
})

/** `shipgate release show REF`: one release, every part. */
const show = defineCommand({
  meta: { name: 'show', description: 'one release, every part' },
  options: (command) =>
    command
      .argument('<ref>', 'release id, id prefix, name, or latest')
      .addOption(configOption('for the store location'))
      .addOption(jsonOption('the manifest')),
  async run({ args: [ref], flags, io }) {
    const { showRelease } = await import('../../workflows/release/index.js')
    const manifest = await showRelease({ ...project(io, flags.config), ref })
    const { releaseLabel, renderReleaseDetails } = await import('../../reporters/release.js')
    io.stdout(
      flags.json === true
        ? json(manifest)
        : `release ${releaseLabel(manifest)}\n${renderReleaseDetails(manifest)}`,
    )
    return EXIT.ok
  },
})

/** `shipgate release diff A B`: what changed from A to B, by part. */
const diff = defineCommand({
  meta: {
    name: 'diff',
    description:
      'what changed from release A to release B: code, prompts, models, params, flags, config, env',
  },
  options: (command) =>
    command
      .argument('<a>', 'the earlier release: id, prefix, name, or latest')
      .argument('<b>', 'the later release')
      .addOption(configOption('for the store location'))
      .addOption(jsonOption('the diff')),
  async run({ args: [a, b], flags, io }) {
    const { diffRelease } = await import('../../workflows/release/index.js')
    const changes = await diffRelease({ ...project(io, flags.config), a, b })
    const { renderReleaseDiff } = await import('../../reporters/release.js')
    io.stdout(flags.json === true ? json(changes) : renderReleaseDiff(changes))
    return EXIT.ok
  },
})

/** `shipgate release create|list|show|diff`. */
export default defineGroup(
  {
    name: 'release',
    description: 'record releases (code, prompts, models, flags, config) and compare them',
  },
  [create, list, show, diff],
)

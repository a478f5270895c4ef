/*
 * Notifiers (`notify:` in shipgate.yaml): the builtin map, and `createNotifiers`, which turns the
 * config's entries into notifiers. Construction is synchronous and touches nothing; a builtin's
 * module is imported, and its URL and secret read, when the first event is sent, so a missing
 * variable is a rejected `notify` (logged by the dispatcher), never a failed command.
 */
import type { Notifier, PipelineEvent } from '../contracts/notifier.js'
import type { NotifierConfig } from './schemas.js'
import type { NotifierDeps, NotifierFactory } from './types.js'

export type { NotifierConfig } from './schemas.js'
export type { NotifierDeps, NotifierFactory } from './types.js'
export { signWebhook, verifyWebhookSignature } from './signature.js'
export type { SignedDelivery } from './signature.js'

type FactoryOf<T extends NotifierConfig['type']> = NotifierFactory<
  Extract<NotifierConfig, { type: T }>
>

/** Builtin notifiers by type, imported only when an event is sent through one. */
export const builtinNotifiers = {
  slack: async (): Promise<FactoryOf<'slack'>> => (await import('./slack.js')).slackNotifier,
  webhook: async (): Promise<FactoryOf<'webhook'>> =>
    (await import('./webhook.js')).webhookNotifier,
} satisfies { [T in NotifierConfig['type']]: () => Promise<FactoryOf<T>> }

/**
 * The notifiers of `configs`, in order. Each is named by its `name`, else by its type (`slack`,
 * `webhook-2` for a second unnamed webhook); the logger each gets is tagged with that name.
 */
export function createNotifiers(
  configs: readonly NotifierConfig[],
  deps: NotifierDeps,
): Notifier[] {
  const names = namesOf(configs)
  return configs.map((config, i) => lazyNotifier(config, names[i] ?? config.type, deps))
}

function lazyNotifier(config: NotifierConfig, name: string, deps: NotifierDeps): Notifier {
  let built: Promise<Notifier> | undefined
  const own = { ...deps, logger: deps.logger.child(name) }
  return {
    name,
    ...(config.events === undefined ? {} : { events: config.events }),
    async notify(event: PipelineEvent, signal: AbortSignal): Promise<void> {
      built ??= build({ ...config, name }, own)
      return (await built).notify(event, signal)
    },
  }
}

async function build(config: NotifierConfig & { name: string }, deps: NotifierDeps) {
  switch (config.type) {
    case 'slack':
      return (await builtinNotifiers.slack())(config, deps)
    case 'webhook':
      return (await builtinNotifiers.webhook())(config, deps)
    default:
      return config satisfies never
  }
}

function namesOf(configs: readonly NotifierConfig[]): string[] {
  const seen = new Map<string, number>()
  return configs.map((config) => {
    const base = config.name ?? config.type
    const count = (seen.get(base) ?? 0) + 1
    seen.set(base, count)
    return count === 1 ? base : `${base}-${count}`
  })
}

/** The notifier contract, run against every builtin notifier. */
import type { builtinNotifiers } from '../../src/notifiers/index.js'
import {
  CONTRACT_EVENT,
  notifierContract,
  URL_VAR,
  type NotifierHarness,
} from '../contract/notifier.contract.js'

/** Each builtin's config, its URL in `URL_VAR`; a builtin missing here fails the typecheck. */
const HARNESSES: Record<keyof typeof builtinNotifiers, NotifierHarness> = {
  slack: { type: 'slack', webhookUrlEnv: URL_VAR, events: [CONTRACT_EVENT.type] },
  webhook: {
    type: 'webhook',
    urlEnv: URL_VAR,
    retries: 3,
    timeout: '5s',
    events: [CONTRACT_EVENT.type],
  },
}

for (const [name, config] of Object.entries(HARNESSES)) notifierContract(name, config)

/**
 * The environment variables that name the prompt and model versions a service runs: the
 * runtime reads them (they win over a release manifest), and `shipgate rollback --only prompt`
 * sets them — the fastest rollback, with no code deploy.
 */
export const RELEASE_ENV = { prompt: 'PROMPT_VERSION', model: 'MODEL_VERSION' } as const

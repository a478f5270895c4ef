import { fileURLToPath } from 'node:url'

/** The multi-step agent fixture: model → tool → model through the OpenAI SDK. */
export const AGENT = fileURLToPath(new URL('../fixtures/agent/agent.mjs', import.meta.url))

/**
 * The `providers:` entry that runs the agent fixture as an `exec` provider reporting its steps,
 * its model at `AGENT_MODEL_URL` (a fake from test/fakes/openai-agent.ts).
 */
export const AGENT_PROVIDER_YAML = `providers:
  agent:
    type: exec
    command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(AGENT)}]
    env: { AGENT_MODEL_URL: "\${AGENT_MODEL_URL}" }
    output: output
    trajectory: steps
`

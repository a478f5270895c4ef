/**
 * Small programs the importer writes so that promptfoo's script providers run as shipgate `exec`
 * providers: shipgate sends `{ prompt, system, messages, vars }` as JSON on stdin and reads the
 * answer from stdout; each shim calls the user's code the way promptfoo calls it.
 */

const HEADER =
  'Written by `shipgate import promptfoo`: runs a promptfoo provider as a shipgate exec provider.'

/** A Python shim calling `fn(prompt, { config }, { vars })` of the module at `module`. */
export function pythonShim(module: string, fn: string, config: Record<string, unknown>): string {
  return `# ${HEADER}
import importlib.util, json, os, sys

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("provider", os.path.join(here, ${JSON.stringify(module)}))
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
request = json.load(sys.stdin)
result = getattr(module, ${JSON.stringify(fn)})(request["prompt"], {"config": json.loads(${JSON.stringify(JSON.stringify(config))})}, {"vars": request["vars"]})
if isinstance(result, dict) and result.get("error"):
    print(result["error"], file=sys.stderr)
    sys.exit(1)
output = result.get("output") if isinstance(result, dict) else result
sys.stdout.write(output if isinstance(output, str) else json.dumps(output))
`
}

const READ_STDIN = `const chunks = []
for await (const chunk of process.stdin) chunks.push(chunk)
const request = JSON.parse(Buffer.concat(chunks).toString('utf8'))`

/** A Node shim: constructs the provider class (or takes the object) and calls `callApi`. */
export function jsShim(
  module: string,
  fn: string | undefined,
  config: Record<string, unknown>,
): string {
  const pick = fn === undefined ? 'loaded.default ?? loaded' : `loaded[${JSON.stringify(fn)}]`
  return `// ${HEADER}
const loaded = await import(new URL(${JSON.stringify(`./${module}`)}, import.meta.url).href)
const Provider = ${pick}
${READ_STDIN}
const options = { config: ${JSON.stringify(config)} }
const provider = typeof Provider === 'function' && Provider.prototype?.callApi ? new Provider(options) : Provider
const call = typeof provider === 'function' ? provider : provider.callApi.bind(provider)
const result = await call(request.prompt, { vars: request.vars, prompt: { raw: request.prompt } }, options)
if (result?.error) {
  process.stderr.write(String(result.error))
  process.exit(1)
}
const output = result?.output
process.stdout.write(typeof output === 'string' ? output : JSON.stringify(output))
`
}

/** A Node shim running promptfoo's `exec:` command with the prompt, options and context as arguments. */
export function execShim(command: string, config: Record<string, unknown>): string {
  return `// ${HEADER}
import { spawnSync } from 'node:child_process'
${READ_STDIN}
const args = [request.prompt, JSON.stringify({ config: ${JSON.stringify(config)} }), JSON.stringify({ vars: request.vars })]
// The command line is the user's, run by a shell as promptfoo does; the arguments are passed as
// positional parameters, never spliced into the line.
const run = spawnSync('/bin/sh', ['-c', ${JSON.stringify(`${command} "$@"`)}, 'sh', ...args], { encoding: 'utf8' })
if (run.status !== 0) {
  process.stderr.write(run.stderr || \`exit \${run.status}\`)
  process.exit(1)
}
process.stdout.write(run.stdout.trim())
`
}

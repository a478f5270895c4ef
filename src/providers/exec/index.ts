import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import type {
  CompletionRequest,
  CompletionResult,
  CompletionSuccess,
  Provider,
  ProviderContext,
  ProviderFactory,
} from '../../contracts/provider.js'
import { requestScope } from '../scope.js'
import { callsAt } from '../tool-paths.js'
import { outputAt, parseAnswer, usageAt } from '../usage-paths.js'
import { execOptions, type ExecOptions } from './schema.js'

/** The `exec` provider: a command gets the request as JSON on stdin and answers on stdout. */
export const execProvider: ProviderFactory<ExecOptions> = {
  type: 'exec',
  options: execOptions,
  embeddings: false,
  create: (options, context) => new ExecProvider(options, context),
}

/** How long a command may take to exit after SIGTERM before it is killed. */
const KILL_AFTER_MS = 2000
const STDERR_TAIL = 500

class ExecProvider implements Provider {
  readonly type = 'exec'
  readonly id: string
  readonly model: string | undefined

  constructor(
    private readonly options: ExecOptions,
    private readonly context: ProviderContext,
  ) {
    this.model = options.model
    this.id = `exec:${context.name}`
  }

  async complete(
    request: CompletionRequest,
    { signal }: { signal: AbortSignal },
  ): Promise<CompletionResult> {
    const { clock } = this.context
    const started = clock.now()
    const { prompt, system, messages, vars } = requestScope(request)
    const run = await this.run(JSON.stringify({ prompt, system, messages, vars }), signal)
    const latencyMs = clock.now() - started
    if (run.error !== undefined) {
      return {
        ok: false,
        error: { kind: 'unknown', message: run.error, retryable: false },
        latencyMs,
      }
    }
    const { output: path, usage, toolCalls, trajectory } = this.options
    const json = [path, usage, toolCalls, trajectory].some((o) => o !== undefined)
    const answer = json ? parseAnswer(run.stdout) : run.stdout.replace(/\r?\n$/, '')
    const output = json ? outputAt(answer, path) : (answer as string)
    const calls = callsAt(answer, this.options)
    if (output === undefined || !calls.ok) {
      const message = calls.ok
        ? `stdout has nothing at "${path ?? ''}"`
        : `stdout: ${calls.message}`
      return { ok: false, error: { kind: 'bad_request', message, retryable: false }, latencyMs }
    }
    const success: Mutable<CompletionSuccess> = {
      ok: true,
      output,
      usage: usageAt(answer, usage),
      latencyMs,
      cached: false,
    }
    if (this.model !== undefined) success.model = this.model
    if (calls.toolCalls !== undefined) success.toolCalls = calls.toolCalls
    if (calls.trajectory !== undefined) success.trajectory = calls.trajectory
    return success
  }

  /** Runs the command once; `error` says why it failed (exit code, signal, stderr tail). */
  private run(stdin: string, signal: AbortSignal): Promise<{ stdout: string; error?: string }> {
    const { command } = this.options
    // An aborted signal never fires 'abort' again: a call cancelled before it began runs nothing.
    if (signal.aborted) return Promise.resolve({ stdout: '', error: 'call aborted' })
    const cwd = resolve(this.context.baseDir, this.options.cwd ?? '.')
    const env = { ...this.context.env, ...this.options.env }
    const child = Array.isArray(command)
      ? spawn(command[0] as string, command.slice(1), { cwd, env, stdio: 'pipe' })
      : spawn(command, { cwd, env, stdio: 'pipe', shell: true })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-STDERR_TAIL)))
    const stop = (): void => {
      child.kill('SIGTERM')
      setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS).unref()
    }
    signal.addEventListener('abort', stop, { once: true })
    child.stdin.on('error', () => undefined) // a command that ignores stdin may close it early
    child.stdin.end(stdin)
    return new Promise((done) => {
      child.on('error', (error) =>
        done({ stdout, error: `cannot run ${String(command)}: ${error.message}` }),
      )
      child.on('close', (code, killed) => {
        signal.removeEventListener('abort', stop)
        if (code === 0) return done({ stdout })
        const why = killed !== null ? `was stopped (${killed})` : `exited with code ${String(code)}`
        done({
          stdout,
          error: `${String(command)} ${why}${stderr === '' ? '' : `: ${stderr.trim()}`}`,
        })
      })
    })
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

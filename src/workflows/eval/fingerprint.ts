import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type {
  LoadedConfig,
  LoadedSuite,
  LocatedAssertion,
  LocatedTransform,
} from '../../config/load.js'
import type { CompiledPrompt } from '../../prompts/template.js'
import type { ProviderConfig } from '../../providers/schemas.js'
import { canonicalJson, sha256 } from '../../utils/hash.js'

/**
 * What every case of a suite (one variant of it) depends on besides its own vars and
 * assertions: the prompt's version, the provider's and the judges' config, the tools sent with
 * each request, and the suite's assertions (with the content of the files they name). Code behind an exec or http provider is
 * not in it: `select` sees such changes and `--reuse-baseline` then reuses nothing of the suite.
 */
export function suiteFingerprint(
  loaded: LoadedConfig,
  suite: LoadedSuite,
  run: { readonly prompt: CompiledPrompt; readonly provider: ProviderConfig | undefined },
  hashes: FileHashes,
): string {
  const { config } = loaded
  const judge = suite.config.judge ?? config.judge
  const judgeNames =
    judge === undefined
      ? []
      : typeof judge === 'string'
        ? [judge]
        : [judge.provider, ...(judge.embeddings === undefined ? [] : [judge.embeddings])]
  return sha256(
    canonicalJson({
      prompt: run.prompt.version,
      provider: run.provider ?? null,
      judge: judge ?? null,
      judges: judgeNames.map((n) => config.providers[n] ?? null),
      suiteVars: suite.config.vars,
      // Left out when none: a suite without tools keeps the fingerprint it had before tools.
      tools: suite.config.tools?.length === 0 ? undefined : suite.config.tools,
      assertions: assertionsKey(suite.assertions, hashes),
      // Only when set, so that suites without one keep the fingerprints they had.
      ...(suite.transform === undefined
        ? {}
        : { transform: transformKey(suite.transform, hashes) }),
    }),
  )
}

/**
 * What a case's results depend on besides its suite and vars: its own assertions and its
 * `transform:` (with the content of the files they name); empty when it has neither.
 */
export function caseKey(
  kase: {
    readonly assertions: readonly LocatedAssertion[]
    readonly transform?: LocatedTransform | undefined
  },
  hashes: FileHashes,
): string {
  const own = kase.assertions.length === 0 ? '' : assertionsKey(kase.assertions, hashes)
  if (kase.transform === undefined) return own
  return `${own}\ntransform ${transformKey(kase.transform, hashes)}`
}

/** A transform's source, with a hash of its file when it names one. */
function transformKey(transform: LocatedTransform, hashes: FileHashes): string {
  const { source, baseDir } = transform
  return source.startsWith('file://') ? `${source} ${hashes.of(refPath(source, baseDir))}` : source
}

function refPath(ref: string, baseDir: string): string {
  return resolve(baseDir, ref.slice('file://'.length).replace(/:[A-Za-z_$][\w$]*$/, ''))
}

/**
 * Hashes of the files assertions name, read once per plan: a plan is built from one reading of
 * the project, and a new plan (the next `--watch` round, a library caller's next run) reads
 * them again.
 */
export class FileHashes {
  private readonly hashes = new Map<string, string>()

  /** The sha256 of the file at `path`; `missing` when it cannot be read. */
  of(path: string): string {
    let hash = this.hashes.get(path)
    if (hash === undefined) {
      try {
        hash = sha256(readFileSync(path, 'utf8'))
      } catch {
        hash = 'missing'
      }
      this.hashes.set(path, hash)
    }
    return hash
  }
}

/** The assertions as written (positions left out), with a hash of each `file://` they name. */
export function assertionsKey(assertions: readonly LocatedAssertion[], hashes: FileHashes): string {
  const files: string[] = []
  const visit = (value: unknown, baseDir: string): void => {
    if (typeof value === 'string' && value.startsWith('file://')) {
      files.push(hashes.of(refPath(value, baseDir)))
    } else if (Array.isArray(value)) for (const v of value) visit(v, baseDir)
    else if (value !== null && typeof value === 'object') {
      for (const v of Object.values(value)) visit(v, baseDir)
    }
  }
  const specs = assertions.map((a) => {
    visit(a.value, a.baseDir)
    visit(a.transform, a.baseDir)
    const { location: _location, baseDir: _baseDir, ...spec } = a
    return spec
  })
  return canonicalJson({ specs, files })
}

import { execFileSync } from 'node:child_process'
import { seededRandom } from '../../src/utils/random.js'

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** Credentials of the shapes secretlint's recommended rules detect. */
export interface PlantedSecrets {
  /** `sk-ant-api03-` + 93 characters + `AA`. */
  readonly anthropic: string
  /** `sk-proj-` + 74 + `T3BlbkFJ` + 74 characters. */
  readonly openai: string
  /** `AKIA` + 16 upper-case letters and digits. */
  readonly awsKeyId: string
  /** 40 characters, found after `AWS_SECRET_ACCESS_KEY=`. */
  readonly awsSecret: string
  /** `ghp_` + 36 characters. */
  readonly github: string
}

/**
 * Fake credentials, random per seed, assembled at run time so that no file of this repository
 * holds one (shipgate scans itself).
 */
export function plantedSecrets(seed = 1): PlantedSecrets {
  const random = seededRandom(seed)
  const chars = (n: number, alphabet = ALNUM): string =>
    Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('')
  return {
    anthropic: `${['sk', 'ant', 'api03'].join('-')}-${chars(93)}AA`,
    openai: `${['sk', 'proj'].join('-')}-${chars(74)}${'T3Blbk'}FJ${chars(74)}`,
    awsKeyId: `${'AK'}IA${chars(16, UPPER)}`,
    awsSecret: chars(40),
    github: `${'gh'}p_${chars(36)}`,
  }
}

/** Every planted secret, to check that none of them is printed or written. */
export function allSecrets(secrets: PlantedSecrets): string[] {
  return [secrets.anthropic, secrets.openai, secrets.awsKeyId, secrets.awsSecret, secrets.github]
}

/** Runs git in `dir` with an identity, returning its output. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd: dir,
    encoding: 'utf8',
  })
}

/** Makes `dir` a git repository and stages `files` (none: everything not ignored). */
export function gitInit(dir: string, files: readonly string[] = ['.']): void {
  git(dir, 'init', '-q', '-b', 'main')
  git(dir, 'add', ...files)
}

/**
 * The run reporters by name, each made for a file or a stream, and the file formats `-o` tells
 * apart by extension. Reporters show and write; they never decide the exit code.
 */
import { extname, resolve } from 'node:path'
import type { Reporter, ReporterFactory, ReporterOutput } from '../contracts/reporter.js'
import type { ResultsDocument } from '../contracts/results.js'
import { usageError } from '../errors.js'
import { writeFileAtomic } from '../utils/files.js'

/** Builtin run reporters, imported when one is asked for. */
export const builtinReporters = {
  json: async () => document('json', (await import('./json.js')).renderJson),
  junit: async () => document('junit', (await import('./junit.js')).renderJunit),
  markdown: async () => document('markdown', (await import('./markdown.js')).renderMarkdown),
  html: async () => document('html', (await import('./html/index.js')).renderHtml),
  terminal: async () => {
    const { renderSummary } = await import('./terminal.js')
    return document('terminal', (results) => renderSummary(results, 20))
  },
  progress: async () => (await import('./progress.js')).progressFactory,
} satisfies Record<string, () => Promise<ReporterFactory>>

/** A builtin reporter's name. */
export type ReporterName = keyof typeof builtinReporters

/** The formats `-o FILE` writes, by extension. */
export const FILE_FORMATS: Readonly<Record<string, ReporterName>> = {
  '.json': 'json',
  '.xml': 'junit',
  '.md': 'markdown',
  '.html': 'html',
  '.htm': 'html',
}

/** The builtin reporter `name` on `output`. */
export async function createReporter(
  name: ReporterName,
  output: ReporterOutput,
): Promise<Reporter> {
  return (await builtinReporters[name]())(output)
}

/** File reporters for `-o` paths (relative to `cwd`), by extension; an unknown one is a usage error. */
export async function fileReporters(paths: readonly string[], cwd: string): Promise<Reporter[]> {
  const formats = paths.map((path) => {
    const format = FILE_FORMATS[extname(path).toLowerCase()]
    if (format === undefined) {
      throw usageError(
        `cannot tell the format of -o ${path}`,
        'use .json (results), .xml (JUnit), .md (markdown summary) or .html (self-contained report)',
      )
    }
    return { path, format }
  })
  return Promise.all(
    formats.map(async ({ path, format }) => ({
      ...(await createReporter(format, { file: resolve(cwd, path) })),
      required: true,
    })),
  )
}

/** A reporter that renders the whole results document once, when the run ends. */
function document(name: string, render: (results: ResultsDocument) => string): ReporterFactory {
  return (output) => ({
    name: 'file' in output ? `${name}:${output.file}` : name,
    onRunEnd: (results) =>
      'file' in output
        ? writeFileAtomic(output.file, render(results))
        : output.write(render(results)),
  })
}

import { pad, rejectRequest } from './openai-common.js'
import { writeJson } from './server.js'
import type { Exchange } from './server.js'

/** A file the OpenAI fake holds: an upload, or a batch's output or error file. */
export interface StoredFile {
  readonly id: string
  readonly filename: string
  /** `batch` for uploads meant for a batch, `batch_output` for files a batch wrote. */
  readonly purpose: string
  /** The whole content (the fake reads bodies as UTF-8 text). */
  readonly content: string
  /** Unix seconds. */
  readonly createdAt: number
}

/** The files of one OpenAI fake, by id. */
export class FileStore {
  readonly #files = new Map<string, StoredFile>()

  /** Stores `content` under a new `file-fake…` id. */
  add(filename: string, purpose: string, content: string): StoredFile {
    const id = `file-fake${pad(this.#files.size)}`
    const file = { id, filename, purpose, content, createdAt: Math.floor(Date.now() / 1000) }
    this.#files.set(id, file)
    return file
  }

  /** The file with this id, if any. */
  get(id: string): StoredFile | undefined {
    return this.#files.get(id)
  }
}

/** The `file` object the Files API answers with. */
export function fileObject(file: StoredFile): object {
  return {
    object: 'file',
    id: file.id,
    purpose: file.purpose,
    filename: file.filename,
    bytes: Buffer.byteLength(file.content),
    created_at: file.createdAt,
    expires_at: null,
    status: 'processed',
    status_details: null,
  }
}

/**
 * `POST /v1/files`: a `multipart/form-data` body with a `purpose` field and a `file` part,
 * stored as text. Answers the `file` object, or a 400 naming the missing part.
 */
export function uploadFile(ex: Exchange, files: FileStore): void {
  const parts = parseMultipart(ex.request.body, ex.request.headers['content-type'] ?? '')
  if (parts === undefined) return rejectRequest(ex, 400, 'Expected a multipart/form-data body.')
  const purpose = parts.get('purpose')
  const file = parts.get('file')
  if (purpose === undefined) return rejectRequest(ex, 400, MISSING('purpose'), 'purpose')
  if (file?.filename === undefined) return rejectRequest(ex, 400, MISSING('file'), 'file')
  writeJson(ex.res, 200, fileObject(files.add(file.filename, purpose.content, file.content)))
}

const MISSING = (name: string): string => `Missing required parameter: '${name}'.`

/** `GET /v1/files/:id`, or with `content`, `GET /v1/files/:id/content` (the raw bytes). */
export function serveFile(
  ex: Exchange,
  file: StoredFile | undefined,
  id: string,
  content: boolean,
): void {
  if (file === undefined) return rejectRequest(ex, 404, `No such File object: ${id}`, 'id')
  if (!content) return writeJson(ex.res, 200, fileObject(file))
  const bytes = Buffer.from(file.content)
  ex.res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': bytes.length,
  })
  ex.res.end(bytes)
}

/** One part of a multipart body. */
interface Part {
  /** The part's `filename`, for file parts. */
  readonly filename: string | undefined
  readonly content: string
}

/** The named parts of a `multipart/form-data` body, or undefined when it is not one. */
export function parseMultipart(body: unknown, contentType: string): Map<string, Part> | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)
  if (typeof body !== 'string' || boundary === null) return undefined
  const parts = new Map<string, Part>()
  for (const chunk of body.split(`--${boundary[1] ?? boundary[2]}`).slice(1)) {
    if (chunk.startsWith('--')) break // the closing delimiter
    const split = chunk.indexOf('\r\n\r\n')
    if (split < 0) continue
    const head = chunk.slice(0, split)
    const name = /\bname="([^"]*)"/i.exec(head)?.[1]
    const filename = /\bfilename="([^"]*)"/i.exec(head)?.[1]
    const content = chunk.slice(split + 4, chunk.endsWith('\r\n') ? -2 : undefined)
    if (name !== undefined) parts.set(name, { filename, content })
  }
  return parts
}

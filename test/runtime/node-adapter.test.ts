import { request as httpRequest } from 'node:http'
import { describe, expect, it } from 'vitest'
import { serve } from './support.js'

/* toNodeListener: a Fetch handler behind node:http. */

describe('toNodeListener', () => {
  it('passes method, URL, headers and the streamed body to the handler', async () => {
    const url = await serve(async (request) =>
      Response.json({
        method: request.method,
        url: request.url,
        header: request.headers.get('x-thing'),
        body: await request.text(),
      }),
    )
    const response = await fetch(`${url}/echo?q=1`, {
      method: 'POST',
      headers: { 'x-thing': 'yes' },
      body: 'x'.repeat(100_000),
    })
    expect(await response.json()).toEqual({
      method: 'POST',
      url: `${url}/echo?q=1`,
      header: 'yes',
      body: 'x'.repeat(100_000),
    })
  })

  it('writes status, headers (several Set-Cookie too) and a streamed body', async () => {
    const url = await serve(() => {
      const headers = new Headers({ 'content-type': 'text/plain', 'x-one': 'a' })
      headers.append('set-cookie', 'a=1')
      headers.append('set-cookie', 'b=2')
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 3; i++) controller.enqueue(new TextEncoder().encode(`part ${i};`))
          controller.close()
        },
      })
      return new Response(body, { status: 201, headers })
    })
    const response = await fetch(url)
    expect(response.status).toBe(201)
    expect(response.headers.get('x-one')).toBe('a')
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
    expect(await response.text()).toBe('part 0;part 1;part 2;')
  })

  it('answers HEAD without a body', async () => {
    const url = await serve(() => new Response('a body', { headers: { 'x-h': '1' } }))
    const response = await fetch(url, { method: 'HEAD' })
    expect(response.status).toBe(200)
    expect(response.headers.get('x-h')).toBe('1')
    expect(await response.text()).toBe('')
  })

  it('answers 404 JSON when the handler declines, 500 JSON when it throws', async () => {
    const errors: unknown[] = []
    const url = await serve(
      (request) => {
        if (request.url.endsWith('/throw')) throw new Error('kaput')
        return undefined
      },
      (error) => errors.push(error),
    )
    const missing = await fetch(`${url}/nothing`)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({ error: 'not_found' })
    const broken = await fetch(`${url}/throw`)
    expect(broken.status).toBe(500)
    expect(await broken.json()).toEqual({ error: 'internal_error' })
    expect(errors).toEqual([new Error('kaput')])
  })

  it('aborts the request signal when the client goes away', async () => {
    let aborted: () => void = () => {}
    const wasAborted = new Promise<void>((resolve) => (aborted = resolve))
    const url = await serve(
      (request) =>
        new Promise<Response>((resolve) => {
          request.signal.addEventListener('abort', () => {
            aborted()
            resolve(new Response('too late'))
          })
        }),
    )
    const client = httpRequest(url)
    client.on('error', () => {})
    client.end()
    await new Promise((resolve) => setTimeout(resolve, 50))
    client.destroy()
    await wasAborted
  })
})

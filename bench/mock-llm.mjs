// The benchmarks' own mock LLM server: the Anthropic Messages API, plain or streamed, answering
// after DELAY ms, with EVENT_DELAY ms between the events of a stream (as a model streams tokens);
// and, on any path ending in /chat/completions, an OpenAI-compatible Chat Completions answer (not
// streamed) whose content is the JSON `{"answer": "answer to <last message>", "words": N,
// "ok": true}`.
// Runs in its own process so that the benchmarked process has a core to itself. Prints its base
// URL on stdout. Usage: node bench/mock-llm.mjs [DELAY_MS] [EVENT_DELAY_MS]
import { createServer } from 'node:http'

const delay = Number(process.argv[2] ?? 0)
const eventDelay = Number(process.argv[3] ?? 0)
const usage = {
  input_tokens: 12,
  output_tokens: 6,
  cache_read_input_tokens: 0,
  cache_creation_input_tokens: 0,
}

function message(text) {
  return {
    id: 'msg_bench',
    type: 'message',
    role: 'assistant',
    model: 'claude-3-5-haiku-20241022',
    content: [{ type: 'text', text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage,
  }
}

function events(text) {
  return eventList(text)
}

function eventList(text) {
  const e = (type, data) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`
  const chunks = text.match(/.{1,8}/g) ?? ['']
  return [
    e('message_start', {
      message: { ...message(''), content: [], usage: { ...usage, output_tokens: 1 } },
    }),
    e('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    ...chunks.map((t) =>
      e('content_block_delta', { index: 0, delta: { type: 'text_delta', text: t } }),
    ),
    e('content_block_stop', { index: 0 }),
    e('message_delta', {
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: usage.output_tokens },
    }),
    e('message_stop', {}),
  ]
}

function stream(res, text) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  const list = events(text)
  if (eventDelay === 0) return res.end(list.join(''))
  let i = 0
  const next = () => {
    if (i === list.length) return res.end()
    res.write(list[i++])
    setTimeout(next, eventDelay)
  }
  next()
}

function chatCompletion(body, last) {
  const prompt = typeof last === 'string' ? last : JSON.stringify(last)
  const content = JSON.stringify({
    answer: `answer to ${prompt}`,
    words: prompt.split(/\s+/).length,
    ok: true,
  })
  return {
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: body.model ?? 'bench',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 },
  }
}

const server = createServer((req, res) => {
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString() || '{}')
    const last = body.messages?.at(-1)?.content ?? ''
    const text = `answer to ${typeof last === 'string' ? last : JSON.stringify(last)}`
    setTimeout(() => {
      if (req.url?.endsWith('/chat/completions')) {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify(chatCompletion(body, last)))
      } else if (body.stream === true) {
        stream(res, text)
      } else {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify(message(text)))
      }
    }, delay)
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () =>
  process.stdout.write(`http://127.0.0.1:${server.address().port}\n`),
)
process.on('SIGTERM', () => server.close(() => process.exit(0)))

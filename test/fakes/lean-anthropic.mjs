// A minimal Anthropic Messages fake in its own process, for timing tests: one prebuilt answer,
// sent `delay` ms after each request arrived. Run: node lean-anthropic.mjs DELAY_MS; it prints
// its base URL on stdout. In its own process it does not compete with the test runner for CPU.
import { createServer } from 'node:http'

const delay = Number(process.argv[2] ?? 50)
const body = JSON.stringify({
  id: 'msg_lean',
  type: 'message',
  role: 'assistant',
  model: 'claude-3-5-haiku-20241022',
  content: [{ type: 'text', text: 'ok' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: {
    input_tokens: 10,
    output_tokens: 2,
    cache_read_input_tokens: 0,
    cache_creation_input_tokens: 0,
  },
})
const server = createServer((req, res) => {
  const arrived = performance.now()
  req.resume()
  req.on('end', () => {
    setTimeout(
      () => {
        res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_lean' })
        res.end(body)
      },
      Math.max(0, delay - (performance.now() - arrived)),
    )
  })
})
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${server.address().port}\n`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))

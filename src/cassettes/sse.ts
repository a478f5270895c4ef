/**
 * Splits a server-sent-events stream into its events as text arrives: an event ends at a blank
 * line. Blocks are returned without the blank line; `flush` returns what was left unterminated.
 */
export class SseSplitter {
  private buffer = ''

  push(text: string): string[] {
    this.buffer += text
    const events: string[] = []
    for (;;) {
      const match = /\r?\n\r?\n/.exec(this.buffer)
      if (match === null) break
      events.push(this.buffer.slice(0, match.index))
      this.buffer = this.buffer.slice(match.index + match[0].length)
    }
    return events
  }

  flush(): string | undefined {
    const rest = this.buffer
    this.buffer = ''
    return rest.trim() === '' ? undefined : rest
  }
}

import { describe, expect, it } from 'vitest'
import { createLogger } from '../../src/logger.js'

describe('createLogger', () => {
  it('redacts every secret it was given, tags children, and filters by level', () => {
    const lines: string[] = []
    const logger = createLogger({
      write: (l) => lines.push(l),
      level: 'info',
      secrets: ['sk-test-0123456789', 'short'],
    })
    logger
      .child('anthropic')
      .warn('request with key sk-test-0123456789 failed (sk-test-0123456789)')
    logger.debug('hidden')
    logger.info('short values are not treated as secrets')
    expect(lines).toEqual([
      '[anthropic] warn: request with key [REDACTED] failed ([REDACTED])',
      'short values are not treated as secrets',
    ])
  })
})

/**
 * Bearer-token checks of shipgate's own loopback servers (the analysis endpoint, the experiment
 * collector): the token compared in constant time, never logged, and which hosts may go without.
 */
import { createHash, timingSafeEqual } from 'node:crypto'

/** Checks a request's `Authorization` header; `null` when no token is required. */
export type Authorizer = ((header: string | undefined) => boolean) | null

/** Whether `host` is a loopback address (only this machine can connect). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
}

/** Accepts exactly `Authorization: Bearer <token>`, in constant time. */
export function bearerCheck(token: string): NonNullable<Authorizer> {
  return secretCheck(`Bearer ${token}`)
}

/** Accepts exactly `secret` (a header, a cookie's value), in constant time. */
export function secretCheck(secret: string): NonNullable<Authorizer> {
  const expected = digest(secret)
  // Digests have one length, so timingSafeEqual compares any text without a length leak.
  return (text) => text !== undefined && timingSafeEqual(digest(text), expected)
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}

/*
 * The webhook signature, as Stripe and GitHub do it: HMAC-SHA256 over "<timestamp>.<body>" with a
 * shared secret, sent as `x-shipgate-signature: sha256=<hex>` next to `x-shipgate-timestamp`
 * (unix seconds). Receivers verify with a constant-time compare and reject old timestamps.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

/** The `x-shipgate-signature` value of `body` sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  const hex = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')
  return `sha256=${hex}`
}

/** What a receiver got: the raw body (before any JSON parsing) and the two headers. */
export interface SignedDelivery {
  readonly body: string
  /** `x-shipgate-timestamp`. */
  readonly timestamp: string | undefined
  /** `x-shipgate-signature`. */
  readonly signature: string | undefined
}

/**
 * Whether a delivery was signed with `secret` within `toleranceSeconds` (default 300) of `now`
 * (ms, default the clock). For receivers written in TypeScript; docs/alerts.md shows the recipe.
 */
export function verifyWebhookSignature(
  secret: string,
  delivery: SignedDelivery,
  options: { toleranceSeconds?: number; now?: number } = {},
): boolean {
  const timestamp = Number(delivery.timestamp)
  if (!Number.isInteger(timestamp) || delivery.signature === undefined) return false
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1_000)
  if (Math.abs(nowSeconds - timestamp) > (options.toleranceSeconds ?? 300)) return false
  const expected = Buffer.from(signWebhook(secret, timestamp, delivery.body))
  const given = Buffer.from(delivery.signature)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/** Small formatters the report's sections share: badges, estimates, numbers as text. */
import type { Estimate } from '../../contracts/results.js'
import { html, type Markup } from './escape.js'

export { formatMs, formatUsd } from '../format.js'

/** `pass` / `fail` / `flaky` as a coloured word. */
export function badge(kind: 'pass' | 'fail' | 'flaky'): Markup {
  return html`<span class="${kind}">${kind}</span>`
}

/** `0.92 [0.86, 0.96]`. */
export function estimate(e: Estimate, digits = 2): string {
  return `${e.value.toFixed(digits)} [${e.lower.toFixed(digits)}, ${e.upper.toFixed(digits)}]`
}

/** A signed difference with its interval: `+0.100 [-0.050, +0.250]`. */
export function signedEstimate(e: Estimate): string {
  const s = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(3)}`
  return `${s(e.value)} [${s(e.lower)}, ${s(e.upper)}]`
}

/** A percent change, `-` when unknown. */
export function percent(v: number | null): string {
  return v === null ? '-' : `${v >= 0 ? '+' : ''}${v.toFixed(1)}%`
}

/** A var's value as text: strings as they are, the rest as JSON. */
export function varText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))
}

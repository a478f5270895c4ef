/** Label matchers of the series a read selects. */
import type { MetricSelector } from '../../contracts/metrics.js'
import { RELEASE_LABEL } from '../names.js'

/** `{release="…",<extra>}`, or `''` when nothing is selected. */
export function labelMatchers(selector: MetricSelector, extra: string): string {
  const matchers = [
    selector.release === undefined ? '' : `${RELEASE_LABEL}="${escapeLabel(selector.release)}"`,
    extra.trim(),
  ].filter((m) => m !== '')
  return matchers.length === 0 ? '' : `{${matchers.join(',')}}`
}

/** A label value inside double quotes. */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

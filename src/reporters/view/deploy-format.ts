/** What the releases and deployments pages share: status words, links, times. */
import type { DeploymentStatus, DeploymentStep } from '../../contracts/deploy.js'
import { html, type Markup } from '../html/escape.js'

const STATUS_CLASS: Readonly<Record<DeploymentStatus | DeploymentStep['status'], string>> = {
  running: 'muted',
  succeeded: 'pass',
  passed: 'pass',
  failed: 'fail',
  rolled_back: 'flaky',
  rollback_failed: 'fail',
  skipped: 'muted',
}

/** A deployment's or step's status as a coloured word. */
export function statusWord(status: DeploymentStatus | DeploymentStep['status']): Markup {
  return html`<span class="${STATUS_CLASS[status]}" data-status="${status}">${status}</span>`
}

/** A link to a release's page, its id in code type. */
export function releaseLink(id: string, label: string = id): Markup {
  return html`<a href="/releases/${encodeURIComponent(id)}"><code>${label}</code></a>`
}

/** A link to a deployment's page. */
export function deploymentLink(id: string): Markup {
  return html`<a href="/deployments/${encodeURIComponent(id)}"><code>${id}</code></a>`
}

/** An ISO time as `YYYY-MM-DD HH:MM:SS` (UTC); empty for none. */
export function when(iso: string | null): string {
  return iso === null ? '' : iso.replace('T', ' ').slice(0, 19)
}

/**
 * The deployments pages: the filtered list, and one deployment's timeline with the canary's
 * weights and verdicts, the rollback and the alerts it recorded.
 */
import type { SentAlert } from '../../contracts/deploy.js'
import {
  DEPLOYS_PER_PAGE,
  type CanaryStepRecord,
  type DeploymentItem,
  type DeploymentsView,
  type DeploymentView,
  type RollbackRecord,
  type TimelineStep,
} from '../../contracts/view.js'
import { html, type Markup } from '../html/escape.js'
import { formatMs } from '../html/format.js'
import { deploymentLink, releaseLink, statusWord, when } from './deploy-format.js'
import { renderViewPage } from './layout.js'

/** The deployments list as HTML. */
export function renderDeploymentsPage(view: DeploymentsView): string {
  return renderViewPage({
    title: 'Deployments',
    section: 'deployments',
    body: html`<h1>Deployments</h1>
      ${filterForm(view)}
      ${
        view.deployments.length === 0
          ? html`<p class="empty">No deployments match.</p>`
          : deploymentsTable(view.deployments)
      }
      <nav class="pages" aria-label="pages">
        ${view.more === null ? null : html`<a rel="next" href="${moreHref(view, view.more)}">more →</a>`}
      </nav>`,
  })
}

function filterForm({ filters: f, statuses }: DeploymentsView): Markup {
  return html`<form class="filters" method="get" action="/deployments" role="search">
    <label>target <input name="target" value="${f.target ?? ''}" /></label>
    <label
      >status
      <select name="status">
        <option value="">any</option>
        ${statuses.map(
          (s) => html`<option value="${s}" ${s === f.status ? html`selected` : null}>${s}</option>`,
        )}
      </select></label
    >
    <button type="submit">Filter</button>
    <a href="/deployments">clear</a>
  </form>`
}

function moreHref(view: DeploymentsView, limit: number): string {
  const params = new URLSearchParams()
  if (view.filters.target !== undefined) params.set('target', view.filters.target)
  if (view.filters.status !== undefined) params.set('status', view.filters.status)
  if (limit !== DEPLOYS_PER_PAGE) params.set('limit', String(limit))
  return `/deployments?${params.toString()}`
}

/** A table of deployments, newest first (the list page and a release's page). */
export function deploymentsTable(items: readonly DeploymentItem[]): Markup {
  return html`<table class="list deployments">
    <thead>
      <tr>
        <th>deployment</th>
        <th>target</th>
        <th>release</th>
        <th>strategy</th>
        <th>status</th>
        <th>started (UTC)</th>
        <th>duration</th>
        <th>reason</th>
      </tr>
    </thead>
    <tbody>
      ${items.map(
        ({ deployment: d, durationMs }) =>
          html`<tr data-deployment="${d.id}">
            <td>${deploymentLink(d.id)}</td>
            <td>${d.target}</td>
            <td>${releaseLink(d.releaseId)}</td>
            <td>${d.strategy}</td>
            <td>${statusWord(d.status)}</td>
            <td>${when(d.startedAt)}</td>
            <td>${durationMs === null ? 'running' : formatMs(durationMs)}</td>
            <td class="wrap">${d.reason ?? ''}</td>
          </tr>`,
      )}
    </tbody>
  </table>`
}

/** One deployment's page as HTML. */
export function renderDeploymentPage(view: DeploymentView): string {
  const d = view.deployment
  return renderViewPage({
    title: `Deployment ${d.id}`,
    section: 'deployments',
    body: html`<h1>Deployment <code>${d.id}</code></h1>
      <dl class="header">
        <dt>target</dt>
        <dd>${d.target}</dd>
        <dt>release</dt>
        <dd>
          ${releaseLink(d.releaseId, view.release?.name ?? d.releaseId)}${view.release === null ? html` <span class="muted">(not in the store)</span>` : null}
        </dd>
        <dt>previous release</dt>
        <dd class="previous">
          ${d.previousReleaseId === null ? 'none (first release on the target)' : releaseLink(d.previousReleaseId, view.previous?.name ?? d.previousReleaseId)}
        </dd>
        <dt>strategy</dt>
        <dd>${d.strategy}</dd>
        <dt>status</dt>
        <dd>${statusWord(d.status)}</dd>
        <dt>started (UTC)</dt>
        <dd>${when(d.startedAt)}</dd>
        <dt>duration</dt>
        <dd>${view.durationMs === null ? 'running' : formatMs(view.durationMs)}</dd>
        ${
          d.reason === null
            ? null
            : html`<dt>reason</dt>
                <dd class="reason error">${d.reason}</dd>`
        }
      </dl>
      ${rollbackSection(view.rollback)}
      <h2>Timeline</h2>
      ${view.timeline.length === 0 ? html`<p class="empty">No steps recorded.</p>` : timeline(view.timeline)}
      ${alertsSection(view.alerts)}`,
  })
}

function timeline(steps: readonly TimelineStep[]): Markup {
  return html`<table class="list timeline">
    <thead>
      <tr>
        <th>step</th>
        <th>status</th>
        <th>started (UTC)</th>
        <th>duration</th>
        <th>detail</th>
      </tr>
    </thead>
    <tbody>
      ${steps.map(
        (t, i) =>
          html`<tr data-step="${t.step.name}" data-index="${i}">
            <td>${t.step.name}</td>
            <td>${statusWord(t.step.status)}</td>
            <td>${when(t.step.startedAt)}</td>
            <td>${t.durationMs === null ? 'running' : formatMs(t.durationMs)}</td>
            <td class="wrap">
              ${
                t.canary.length === 0
                  ? detailText(t.step.detail)
                  : html`${t.note === '' ? null : html`<p class="error">${t.note}</p>`}
                    ${canaryTable(t.canary)}`
              }
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`
}

function detailText(detail: string): Markup | null {
  if (detail === '') return null
  return detail.includes('\n') ? html`<pre>${detail}</pre>` : html`${detail}`
}

function canaryTable(steps: readonly CanaryStepRecord[]): Markup {
  return html`<table class="list canary">
    <thead>
      <tr>
        <th>#</th>
        <th>canary step</th>
        <th>status</th>
        <th>canary weight</th>
        <th>verdict / outcome</th>
      </tr>
    </thead>
    <tbody>
      ${steps.map(
        (s) =>
          html`<tr data-kind="${s.kind}" data-weight="${s.weight ?? ''}">
            <td>${s.index === null ? '' : `${s.index}/${s.total ?? '?'}`}</td>
            <td>${s.action}</td>
            <td>
              ${s.status === 'paused' ? html`<span class="flaky">paused</span>` : statusWord(s.status)}
            </td>
            <td>
              ${
                s.weight === null
                  ? html`<span class="muted">—</span>`
                  : html`<meter min="0" max="100" value="${s.weight}">${s.weight}%</meter>
                      ${s.weight}%`
              }
            </td>
            <td class="wrap">
              ${s.kind === 'analysis' ? analysisOutcome(s) : detailText(s.outcome)}
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`
}

/** An analysis step's verdict in bold, then its reason (without the verdict said twice). */
function analysisOutcome(s: CanaryStepRecord): Markup {
  const word = verdict(s)
  const reason = s.outcome.startsWith(`${word}: `) ? s.outcome.slice(word.length + 2) : s.outcome
  return html`<strong>${word}</strong> ${detailText(reason)}`
}

/** An analysis step's verdict in one word, from its status and outcome. */
function verdict(s: CanaryStepRecord): string {
  if (s.status === 'failed') return 'failed'
  if (s.status === 'running') return 'analyzing'
  if (s.status === 'paused') return 'held'
  return s.outcome.startsWith('resumed') ? 'resumed' : 'passed'
}

function rollbackSection(r: RollbackRecord | null): Markup | null {
  if (r === null) return null
  const to =
    r.toReleaseId === null ? 'no release (the new one was stopped)' : releaseLink(r.toReleaseId)
  return html`<section class="rollback">
    <h2>Rollback</h2>
    <p>
      ${
        r.kind === 'command'
          ? html`A rollback by <code>shipgate rollback</code>`
          : 'The deploy failed and rolled back'
      }
      ${r.fromReleaseId === null ? null : html`from ${releaseLink(r.fromReleaseId)}`} to
      ${to}${r.status === null ? null : html`: ${statusWord(r.status)}`}
    </p>
    ${detailText(r.detail)}
  </section>`
}

function alertsSection(alerts: readonly SentAlert[]): Markup {
  return html`<h2>Alerts</h2>
    ${
      alerts.length === 0
        ? html`<p class="empty">
            No alerts were sent about this deployment (no notifier took one).
          </p>`
        : html`<table class="list alerts">
            <thead>
              <tr>
                <th>sent (UTC)</th>
                <th>event</th>
                <th>severity</th>
                <th>summary</th>
                <th>notifiers</th>
              </tr>
            </thead>
            <tbody>
              ${alerts.map(alertRow)}
            </tbody>
          </table>`
    }`
}

function alertRow(a: SentAlert): Markup {
  return html`<tr data-alert="${a.type}">
    <td>${when(a.at)}</td>
    <td><code>${a.type}</code></td>
    <td class="severity-${a.severity}">${a.severity}</td>
    <td class="wrap">${a.summary}</td>
    <td class="wrap">
      ${a.notifiers.map(
        (n) =>
          html`<span class="${n.ok ? 'pass' : 'fail'}" data-notifier="${n.name}"
              >${n.name} ${n.ok ? '✓' : '✗'}</span
            >${n.error === undefined ? null : html` <span class="muted">${n.error}</span>`} `,
      )}
    </td>
  </tr>`
}

/** The releases pages: the list of manifests, and one manifest with its deployments. */
import type { ReleaseManifest } from '../../contracts/release.js'
import type { ReleaseItem, ReleasesView, ReleaseView } from '../../contracts/view.js'
import { html, type Markup } from '../html/escape.js'
import { varText } from '../html/format.js'
import { releaseLink, statusWord, when } from './deploy-format.js'
import { deploymentsTable } from './deployments.js'
import { renderViewPage } from './layout.js'

/** The releases list as HTML. */
export function renderReleasesPage(view: ReleasesView): string {
  return renderViewPage({
    title: 'Releases',
    section: 'releases',
    body: html`<h1>Releases</h1>
      ${
        view.releases.length === 0
          ? html`<p class="empty">No releases recorded: <code>shipgate release create</code>.</p>`
          : releasesTable(view.releases)
      }
      <nav class="pages" aria-label="pages">
        ${view.more === null ? null : html`<a rel="next" href="/releases?limit=${view.more}">more →</a>`}
      </nav>`,
  })
}

function releasesTable(releases: readonly ReleaseItem[]): Markup {
  return html`<table class="list releases">
    <thead>
      <tr>
        <th>release</th>
        <th>name</th>
        <th>created (UTC)</th>
        <th>commit</th>
        <th>branch</th>
        <th>prompts</th>
        <th>models</th>
        <th>deployed (latest per target)</th>
      </tr>
    </thead>
    <tbody>
      ${releases.map(releaseRow)}
    </tbody>
  </table>`
}

function releaseRow({ manifest: m, targets }: ReleaseItem): Markup {
  return html`<tr data-release="${m.id}">
    <td>${releaseLink(m.id)}</td>
    <td>${m.name ?? ''}</td>
    <td>${when(m.createdAt)}</td>
    <td><code>${(m.code.commit ?? '').slice(0, 7)}</code>${m.code.dirty ? ' (dirty)' : ''}</td>
    <td>${m.code.branch ?? ''}</td>
    <td>${Object.keys(m.prompts).length}</td>
    <td>${Object.keys(m.models).length}</td>
    <td class="wrap">
      ${
        targets.length === 0
          ? html`<span class="muted">never</span>`
          : targets.map(
              (t) =>
                html`<span class="target" data-target="${t.target}"
                  >${t.target}:
                  <a href="/deployments/${encodeURIComponent(t.deploymentId)}"
                    >${statusWord(t.status)}</a
                  ></span
                > `,
            )
      }
    </td>
  </tr>`
}

/** One release's page as HTML. */
export function renderReleasePage(view: ReleaseView): string {
  const m = view.manifest
  const title = m.name === null ? m.id : `${m.name} (${m.id})`
  return renderViewPage({
    title: `Release ${title}`,
    section: 'releases',
    body: html`<h1>Release <code>${m.id}</code></h1>
      ${header(m)} ${prompts(m)} ${models(m)} ${envTable(m)}
      <h2>Deployments</h2>
      ${
        view.deployments.length === 0
          ? html`<p class="empty">Not deployed yet.</p>`
          : deploymentsTable(view.deployments)
      }
      ${
        view.moreDeployments
          ? html`<p>
              <a href="/deployments">more deployments</a> — only the latest
              ${view.deployments.length} are shown
            </p>`
          : null
      }`,
  })
}

function header(m: ReleaseManifest): Markup {
  return html`<dl class="header">
    <dt>name</dt>
    <dd>${m.name ?? '—'}</dd>
    <dt>created (UTC)</dt>
    <dd>${when(m.createdAt)}</dd>
    <dt>commit</dt>
    <dd>
      <code>${m.code.commit ?? 'none (not a git repository)'}</code
      >${m.code.dirty ? ' (uncommitted changes)' : ''}
    </dd>
    <dt>branch</dt>
    <dd>${m.code.branch ?? '—'}</dd>
    <dt>config</dt>
    <dd><code>${m.configHash}</code></dd>
    <dt>flags</dt>
    <dd>${m.flags === null ? '—' : html`${m.flags.path} <code>${m.flags.hash}</code>`}</dd>
  </dl>`
}

function prompts(m: ReleaseManifest): Markup {
  const rows = Object.entries(m.prompts)
  return html`<h2>Prompts</h2>
    ${
      rows.length === 0
        ? html`<p class="empty">none</p>`
        : html`<table class="list prompts">
            <thead>
              <tr>
                <th>prompt</th>
                <th>hash</th>
                <th>path</th>
              </tr>
            </thead>
            <tbody>
              ${rows.map(
                ([name, p]) =>
                  html`<tr data-prompt="${name}">
                    <td>${name}</td>
                    <td><code>${p.hash}</code></td>
                    <td>${p.path ?? html`<span class="muted">inline</span>`}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }`
}

function models(m: ReleaseManifest): Markup {
  const rows = Object.entries(m.models)
  return html`<h2>Models</h2>
    ${
      rows.length === 0
        ? html`<p class="empty">none</p>`
        : html`<table class="list models">
            <thead>
              <tr>
                <th>provider</th>
                <th>type</th>
                <th>model</th>
                <th>params</th>
              </tr>
            </thead>
            <tbody>
              ${rows.map(
                ([name, model]) =>
                  html`<tr data-model="${name}">
                    <td>${name}</td>
                    <td>${model.type}</td>
                    <td>${model.model ?? html`<span class="muted">—</span>`}</td>
                    <td class="wrap">
                      ${Object.entries(model.params).map(
                        ([k, v]) => html`<code>${k}=${varText(v)}</code> `,
                      )}
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }`
}

function envTable(m: ReleaseManifest): Markup {
  const rows = Object.entries(m.env)
  if (rows.length === 0) return html``
  return html`<h2>Runtime settings</h2>
    <dl class="header">
      ${rows.map(
        ([k, v]) =>
          html`<dt><code>${k}</code></dt>
            <dd><code>${v}</code></dd>`,
      )}
    </dl>`
}

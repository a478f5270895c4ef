/**
 * The page every view is drawn in: the navigation, the stylesheet and, where a page needs one,
 * the viewer's own scripts, all from /assets/ (the CSP allows nothing else).
 */
import { html, type Markup } from '../html/escape.js'

/** The sections the navigation names; a page marks its own. */
export type ViewSection = 'runs' | 'compare' | 'trends' | 'releases' | 'deployments'

const SECTIONS: readonly {
  readonly section: ViewSection
  readonly href: string
  readonly label: string
}[] = [
  { section: 'runs', href: '/', label: 'Runs' },
  { section: 'compare', href: '/compare', label: 'Compare' },
  { section: 'trends', href: '/trends', label: 'Trends' },
  { section: 'releases', href: '/releases', label: 'Releases' },
  { section: 'deployments', href: '/deployments', label: 'Deployments' },
]

/** What a page is: its title, the section it belongs to, its body and the scripts it needs. */
export interface ViewPage {
  readonly title: string
  readonly section: ViewSection | null
  readonly body: Markup
  /** Paths under /assets/ (e.g. `uplot.js`), loaded in order with `defer`. */
  readonly scripts?: readonly string[]
  /** Stylesheets under /assets/ beside view.css. */
  readonly styles?: readonly string[]
}

/** The Content-Security-Policy of every viewer response: only the viewer's own files. */
export const VIEW_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

/** A whole HTML document. */
export function renderViewPage(p: ViewPage): string {
  const styles = ['view.css', ...(p.styles ?? [])]
  const doc = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${p.title} · shipgate</title>
        <link rel="icon" href="data:," />
        ${styles.map((s) => html`<link rel="stylesheet" href="/assets/${s}" />`)}
        ${(p.scripts ?? []).map((s) => html`<script src="/assets/${s}" defer></script>`)}
      </head>
      <body>
        <nav class="top">
          <span class="brand">shipgate</span>
          ${SECTIONS.map(
            (s) =>
              html`<a
                href="${s.href}"
                ${s.section === p.section ? html`class="here" aria-current="page"` : null}
                >${s.label}</a
              >`,
          )}
        </nav>
        <main>${p.body}</main>
      </body>
    </html>`
  return doc.text
}

/** A page that says what went wrong (an unknown run, a bad filter). */
export function renderViewError(title: string, message: string, hint?: string): string {
  return renderViewPage({
    title,
    section: null,
    body: html`<h1>${title}</h1>
      <p class="error">${message}</p>
      ${hint === undefined ? null : html`<p class="muted">${hint}</p>`}`,
  })
}

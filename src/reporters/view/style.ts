/**
 * The viewer's stylesheet, served as /assets/view.css (the page's CSP allows stylesheets from
 * the viewer itself only): the HTML report's, plus navigation, forms and paging.
 */
import { STYLE } from '../html/style.js'

export const VIEW_STYLE = `${STYLE}
body { margin: 0; }
nav.top { display: flex; gap: 1.2rem; align-items: baseline; padding: .6rem 1.5rem; background: #24292f; }
nav.top a { color: #f6f8fa; text-decoration: none; }
nav.top a.here { font-weight: 700; text-decoration: underline; }
nav.top .brand { font-weight: 700; color: #fff; margin-right: .5rem; }
main { margin: 1rem 1.5rem 2rem; }
form.filters { display: flex; flex-wrap: wrap; gap: .6rem; align-items: end; margin: .5rem 0 1rem; }
form.filters label { display: flex; flex-direction: column; font-size: .85rem; color: #57606a; }
form.filters input, form.filters select { font: inherit; padding: .15rem .3rem; }
nav.pages { display: flex; gap: 1rem; margin: .8rem 0; }
table.list td, table.list th { white-space: nowrap; }
table.list td.wrap { white-space: normal; min-width: 12rem; }
.empty { color: #57606a; font-style: italic; }
.error { color: #cf222e; }
ins { background: #dafbe1; text-decoration: none; }
del { background: #ffebe9; }
.chart { min-height: 240px; margin: .5rem 0 1.5rem; }
`

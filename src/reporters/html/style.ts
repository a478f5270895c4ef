/**
 * The report's stylesheet, inlined in a `<style>` element (allowed by the page's CSP through
 * its hash). No fonts, images or other URLs: the file makes no request.
 */
export const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5rem; color: #1b1f24; background: #fff; }
h1 { font-size: 1.4rem; margin: 0 0 .5rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1rem; margin: 1rem 0 .4rem; }
table { border-collapse: collapse; margin: .4rem 0; }
th, td { border: 1px solid #d0d7de; padding: .2rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
dl.header { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; }
details { margin: .25rem 0; border: 1px solid #d0d7de; border-radius: 4px; padding: .25rem .5rem; }
summary { cursor: pointer; }
pre { white-space: pre-wrap; word-break: break-word; background: #f6f8fa; padding: .4rem; margin: .3rem 0; }
.pass { color: #1a7f37; font-weight: 600; }
.fail { color: #cf222e; font-weight: 600; }
.flaky { color: #9a6700; font-weight: 600; }
.side { display: grid; grid-template-columns: 1fr 1fr; gap: .5rem; }
.muted { color: #57606a; }
`

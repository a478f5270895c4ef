/**
 * The document around the report's sections: a strict Content-Security-Policy (nothing may load,
 * no script may run, only the inline stylesheet whose hash it names), the style, the body.
 */
import { createHash } from 'node:crypto'
import { html, type Markup } from './escape.js'
import { STYLE } from './style.js'

/** The policy of the report: no default source, the one stylesheet by hash, no base or forms. */
export function contentSecurityPolicy(style: string = STYLE): string {
  const hash = createHash('sha256').update(style).digest('base64')
  return `default-src 'none'; style-src 'sha256-${hash}'; img-src 'none'; base-uri 'none'; form-action 'none'`
}

/**
 * A whole HTML document titled `title` around `body`. The stylesheet is this module's constant,
 * inserted verbatim: escaping would change the text its hash in the policy names.
 */
export function page(title: string, body: Markup): string {
  // Plain concatenation: the style element's text must be exactly STYLE, which the policy hashes.
  const head = html`<meta charset="utf-8" />
    <meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy()}" />
    <meta name="referrer" content="no-referrer" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title}</title>`
  return `<!doctype html>\n<html lang="en">\n<head>\n${head.text}\n<style>${STYLE}</style>\n</head>\n<body>\n${body.text}\n</body>\n</html>\n`
}

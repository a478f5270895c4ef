import { Liquid } from 'liquidjs'
import { describe, expect, it } from 'vitest'
import { nunjucksToLiquid } from '../../../src/core/import/index.js'

const liquid = new Liquid({ strictVariables: false })
const render = (template: string, vars: Record<string, unknown>) =>
  liquid.parseAndRenderSync(nunjucksToLiquid(template).text, vars) as string

describe('nunjucks → liquid', () => {
  it.each([
    ['{{ name | upper }}', { name: 'ada' }, 'ADA'],
    ['{{ name | lower | capitalize }}', { name: 'ADA' }, 'Ada'],
    ['{{ missing | default("none") }}', {}, 'none'],
    ['{{ missing | d(3) }}', {}, '3'],
    ['{{ xs | join(", ") }}', { xs: ['a', 'b'] }, 'a, b'],
    ['{{ xs | length }}', { xs: [1, 2, 3] }, '3'],
    ['{{ s | trim }}', { s: '  x ' }, 'x'],
    ['{{ o | dump }}', { o: { a: [1] } }, '{"a":[1]}'],
    ['{{ s | replace("a", "b") }}', { s: 'aa' }, 'bb'],
    ['{{ s | safe }}', { s: '<b>' }, '<b>'],
    ['{{ o.a[0] }}', { o: { a: ['z'] } }, 'z'],
    ['{% for x in xs %}{{ loop.index }}{{ x }}{% endfor %}', { xs: ['a', 'b'] }, '1a2b'],
    ['{% if n == 1 %}one{% elif n > 1 and n < 3 %}two{% else %}many{% endif %}', { n: 2 }, 'two'],
    ['{% set y = x | upper %}{{ y }}', { x: 'q' }, 'Q'],
    ['a{# note #}b', {}, 'ab'],
    ['{% raw %}{{ kept }}{% endraw %}', {}, '{{ kept }}'],
  ])('%s', (template, vars, expected) => {
    expect(nunjucksToLiquid(template).problems).toEqual([])
    expect(render(template, vars)).toBe(expected)
  })

  it.each([
    ['{{ a + b }}', 'expression "a + b" is not a variable or a literal'],
    ['{{ s | title }}', 'nunjucks filter "title" has no liquid equivalent'],
    // liquid's truncate counts the ellipsis, nunjucks' cuts at a word: not the same text.
    ['{{ s | truncate(3) }}', 'nunjucks filter "truncate" has no liquid equivalent'],
    [
      '{% if not x %}y{% endif %}',
      'condition "not x": expression "not x" is not a variable or a literal',
    ],
    ['{% include "x.njk" %}', 'the nunjucks tag "include" has no liquid equivalent here'],
    ['{{ loop.cycle("a") }}', 'expression "loop.cycle("a")" is not a variable or a literal'],
  ])('reports %s, keeping it as literal text', (template, reason) => {
    const { text, problems } = nunjucksToLiquid(`line one\n${template}`)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({ line: 1, reason })
    expect(text).toContain('{% raw %}')
  })

  it('keeps a macro whole, to its end tag, as literal text', () => {
    const { text, problems } = nunjucksToLiquid('{% macro m(a) %}{{ a }}{% endmacro %}x')
    expect(problems).toHaveLength(1)
    expect(liquid.parseAndRenderSync(text, {})).toBe('{% macro m(a) %}{{ a }}{% endmacro %}x')
  })
})

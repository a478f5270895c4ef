// The viewer's script (/assets/view.js): plain browser JavaScript, no build step. The pages
// work without it; with it, each `<div class="chart" data-chart=… data-series=…>` becomes a
// uPlot chart of a value and its 95% interval (a shaded band), and a form's select marked
// `data-autosubmit` submits its form when changed. The CSP allows no inline script, so the
// numbers come in the element's data-series attribute (JSON: x in Unix seconds, y, lower, upper).
;(function () {
  'use strict'

  const COLOUR = '#0969da'
  const BAND = 'rgba(9, 105, 218, 0.15)'
  const EDGE = 'rgba(9, 105, 218, 0.35)'
  const HEIGHT = 240

  /** A number as the chart's unit shows it. */
  function format(unit, v) {
    if (v === null || v === undefined || !Number.isFinite(v)) return '-'
    if (unit === 'usd')
      return v === 0 ? '$0' : v >= 0.01 ? `$${v.toFixed(4)}` : `$${v.toPrecision(2)}`
    if (unit === 'ms') return v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(1)} s`
    return v.toFixed(2)
  }

  function options(el, unit, width) {
    const value = (_u, v) => format(unit, v)
    return {
      width,
      height: HEIGHT,
      scales: { x: { time: true } },
      series: [
        {},
        {
          label: el.dataset.label || 'value',
          stroke: COLOUR,
          width: 2,
          points: { show: true },
          value,
        },
        { label: 'lower 95%', stroke: EDGE, width: 1, points: { show: false }, value },
        { label: 'upper 95%', stroke: EDGE, width: 1, points: { show: false }, value },
      ],
      bands: [{ series: [3, 2], fill: BAND }],
      axes: [{}, { size: 70, values: (_u, splits) => splits.map((v) => format(unit, v)) }],
    }
  }

  function draw(el) {
    const data = JSON.parse(el.dataset.series || '{}')
    if (!Array.isArray(data.x)) return
    const width = () => Math.max(320, el.clientWidth)
    const plot = new window.uPlot(
      options(el, el.dataset.unit, width()),
      [data.x, data.y, data.lower, data.upper],
      el,
    )
    window.addEventListener('resize', () => plot.setSize({ width: width(), height: HEIGHT }))
    el.dataset.drawn = 'true'
  }

  function start() {
    for (const select of document.querySelectorAll('select[data-autosubmit]')) {
      select.addEventListener('change', () => {
        if (select.value !== '') select.form?.requestSubmit()
      })
    }
    if (typeof window.uPlot !== 'function') return
    for (const el of document.querySelectorAll('div.chart[data-chart][data-series]')) draw(el)
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start)
  else start()
})()

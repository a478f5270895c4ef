import { beforeEach, describe, expect, it } from 'vitest'
import type { Store } from '../../../src/contracts/store.js'
import { ShipgateError } from '../../../src/errors.js'
import { openStore } from '../../../src/stores/index.js'
import { viewToken } from '../../../src/workflows/view/auth.js'
import { ResultsCache, viewApp } from '../../../src/workflows/view/index.js'

describe('the viewer token', () => {
  it('is not needed on loopback, and is refused missing anywhere else', () => {
    expect(viewToken('127.0.0.1', {}, {})).toBeNull()
    expect(viewToken('::1', {}, {})).toBeNull()
    let error: unknown
    try {
      viewToken('0.0.0.0', {}, {})
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ShipgateError)
    expect((error as ShipgateError).code).toBe('usage')
    expect((error as ShipgateError).message).toContain('reachable from other machines')
    expect((error as ShipgateError).hint).toContain('--new-token')
  })

  it('comes from SHIPGATE_VIEW_TOKEN, a named variable, or is generated', () => {
    expect(viewToken('0.0.0.0', {}, { SHIPGATE_VIEW_TOKEN: 't1' })).toEqual({
      token: 't1',
      generated: false,
    })
    expect(viewToken('127.0.0.1', { tokenEnv: 'MINE' }, { MINE: 't2' })?.token).toBe('t2')
    expect(() => viewToken('127.0.0.1', { tokenEnv: 'MINE' }, {})).toThrow(/MINE.*not set/)
    const a = viewToken('0.0.0.0', { newToken: true }, {})
    const b = viewToken('0.0.0.0', { newToken: true }, {})
    expect(a?.generated).toBe(true)
    expect(a?.token).toMatch(/^[\w-]{32}$/)
    expect(a?.token).not.toBe(b?.token)
  })
})

describe('the viewer guard', () => {
  let store: Store
  beforeEach(async () => {
    store = await openStore(':memory:', process.cwd())
  })
  const app = (token: string | null, loopback: boolean) =>
    viewApp({ store, results: new ResultsCache(store), token, loopback })

  it('answers 401 without the token, and lets the bearer or the cookie through', async () => {
    const viewer = app('s3cret-token', false)
    const bare = await viewer.request('http://10.0.0.5:8790/')
    expect(bare.status).toBe(401)
    expect(bare.headers.get('www-authenticate')).toContain('Bearer')
    expect(await bare.text()).not.toContain('s3cret-token')
    expect((await viewer.request('http://10.0.0.5:8790/assets/view.css')).status).toBe(401)
    const wrong = { headers: { authorization: 'Bearer nope' } }
    expect((await viewer.request('http://10.0.0.5:8790/', wrong)).status).toBe(401)
    const right = { headers: { authorization: 'Bearer s3cret-token' } }
    expect((await viewer.request('http://10.0.0.5:8790/', right)).status).toBe(200)
    const cookie = { headers: { cookie: 'other=1; shipgate_view=s3cret-token' } }
    expect((await viewer.request('http://10.0.0.5:8790/', cookie)).status).toBe(200)
    const badCookie = { headers: { cookie: 'shipgate_view=s3cret-tokex' } }
    expect((await viewer.request('http://10.0.0.5:8790/', badCookie)).status).toBe(401)
  })

  it('trades a token in the URL for an HttpOnly, SameSite cookie and drops it from the URL', async () => {
    const viewer = app('s3cret-token', false)
    const res = await viewer.request('http://10.0.0.5:8790/runs/x?token=s3cret-token&page=2')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/runs/x?page=2')
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toContain('shipgate_view=s3cret-token')
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Strict')
    expect((await viewer.request('http://10.0.0.5:8790/?token=guess')).status).toBe(401)
  })

  it('answers a loopback viewer only under a loopback host name (no DNS rebinding)', async () => {
    const viewer = app(null, true)
    expect((await viewer.request('http://127.0.0.1:8790/')).status).toBe(200)
    expect((await viewer.request('http://localhost:8790/')).status).toBe(200)
    expect((await viewer.request('http://[::1]:8790/')).status).toBe(200)
    expect((await viewer.request('http://attacker.example:8790/')).status).toBe(421)
  })
})

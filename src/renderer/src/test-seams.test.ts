import { describe, expect, it } from 'vitest'
import { pageTestHooks } from './test-seams'

describe('pageTestHooks', () => {
  it('finds nothing in a page that defined no hooks, or hooks of the wrong shape', () => {
    expect(pageTestHooks({})).toEqual({})
    expect(pageTestHooks({ __parleyTestHooks: 'yes' })).toEqual({})
    expect(pageTestHooks({ __parleyTestHooks: { beforeCommit: 42 } })).toEqual({})
  })

  it("calls the page's beforeCommit, whose throw reaches the caller", () => {
    let calls = 0
    const scope = {
      __parleyTestHooks: {
        beforeCommit() {
          calls += 1
          if (calls > 1) throw new DOMException('Quota exceeded.', 'QuotaExceededError')
        }
      }
    }
    pageTestHooks(scope).beforeCommit?.()
    expect(() => pageTestHooks(scope).beforeCommit?.()).toThrow('Quota exceeded.')
    expect(calls).toBe(2)
  })

  it('reads plainCode only when it is exactly true', () => {
    expect(pageTestHooks({ __parleyTestHooks: { plainCode: true } })).toEqual({ plainCode: true })
    expect(pageTestHooks({ __parleyTestHooks: { plainCode: 'yes' } })).toEqual({})
    expect(pageTestHooks({ __parleyTestHooks: { plainCode: false } })).toEqual({})
  })

  it('reads the welcome\'s local servers as a record of addresses, leaving out anything else', () => {
    expect(pageTestHooks({ __parleyTestHooks: { localServers: { 'lm-studio': 'http://127.0.0.1:9/v1', vllm: 7 } } })).toEqual({
      localServers: { 'lm-studio': 'http://127.0.0.1:9/v1' }
    })
    expect(pageTestHooks({ __parleyTestHooks: { localServers: 'http://x' } })).toEqual({})
  })

  it('awaits the page\'s afterRebuildPage, whatever it answers, and leaves it out when it is not a function', async () => {
    let release: () => void = () => undefined
    const held = new Promise<void>((resolve) => (release = resolve))
    const scope = { __parleyTestHooks: { afterRebuildPage: () => held.then(() => 'ignored') } }
    let done = false
    const waiting = pageTestHooks(scope).afterRebuildPage?.().then(() => (done = true))
    await Promise.resolve()
    expect(done).toBe(false)
    release()
    await waiting
    expect(done).toBe(true)
    expect(pageTestHooks({ __parleyTestHooks: { afterRebuildPage: 'later' } })).toEqual({})
  })
})

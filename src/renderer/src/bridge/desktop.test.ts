import { describe, expect, it } from 'vitest'
import { createRemoteApi, ParleyError, type ParleyApi } from '../../../shared'
import { asParleyError, fromDesktop, sayDesktopWindowReady } from './desktop'

/** What window.parley looks like from the page: rejections are plain objects after contextBridge copied them. */
function exposedRejecting(payload: unknown): ParleyApi {
  const { api } = createRemoteApi({ call: () => Promise.reject(payload), send: () => {} })
  return api
}

describe('the desktop bridge, as the page sees it', () => {
  it('turns a copied { code, message } rejection back into a ParleyError of this page', async () => {
    const copied = { name: 'ParleyError', code: 'SessionMissing', message: 'There is no such session.' }
    const api = fromDesktop(exposedRejecting(copied))
    const error = await api.renameSession('s', 't').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ParleyError)
    expect(error).toMatchObject({ code: 'SessionMissing', message: 'There is no such session.' })
    expect(api.connectionState).toBe('open')
  })

  it('leaves other rejections and results alone', async () => {
    const plain = new Error('boom')
    await expect(fromDesktop(exposedRejecting(plain)).status()).rejects.toBe(plain)
    expect(asParleyError({ code: 'NotACode', message: 'x' })).toEqual({ code: 'NotACode', message: 'x' })
    const { api } = createRemoteApi({ call: async () => 3, send: () => {} })
    await expect(fromDesktop(api).clearQueue('s')).resolves.toBe(3)
  })

  it('A8: the desktop window says windowReady once its bridge is made; a refusal is reported, never thrown', async () => {
    const calls: string[] = []
    const { api } = createRemoteApi({
      call: (method) => {
        calls.push(method)
        return Promise.resolve(undefined)
      },
      send: () => {}
    })
    sayDesktopWindowReady(fromDesktop(api))
    await Promise.resolve()
    expect(calls).toEqual(['windowReady'])

    const problems: string[] = []
    sayDesktopWindowReady(fromDesktop(exposedRejecting({ name: 'ParleyError', code: 'Internal', message: 'no' })), (message) =>
      problems.push(message)
    )
    await expect.poll(() => problems).toEqual(['could not tell Parley this window is ready'])
  })
})

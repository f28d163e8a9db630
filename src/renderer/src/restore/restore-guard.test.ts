import { describe, expect, it } from 'vitest'
import { ParleyError, type ParleyApi } from '../../../shared'
import { guardWhileRestoring, historyChanges } from './restore-guard'

/** An api whose every method records its name and answers it; a member that is not a method too. */
function recordingApi(): { api: ParleyApi & { connectionState: string }; called: string[] } {
  const called: string[] = []
  const api = new Proxy(
    { connectionState: 'open' },
    {
      get(target, key) {
        if (key === 'connectionState') return target.connectionState
        if (key === 'then') return undefined
        return (...args: unknown[]) => {
          called.push(String(key))
          return Promise.resolve({ key, args })
        }
      }
    }
  ) as unknown as ParleyApi & { connectionState: string }
  return { api, called }
}

describe('guardWhileRestoring', () => {
  it('refuses every change of the history with the sentence while the copy runs, and sends nothing', async () => {
    const { api, called } = recordingApi()
    const guarded = guardWhileRestoring(api, () => 'Your chats are still being restored.')
    for (const name of historyChanges) {
      const method = guarded[name] as (...args: unknown[]) => Promise<unknown>
      const refusal = await method('s1').then(
        () => undefined,
        (error: unknown) => error
      )
      expect(refusal, name).toBeInstanceOf(ParleyError)
      expect((refusal as ParleyError).code).toBe('Restoring')
      expect((refusal as ParleyError).message).toBe('Your chats are still being restored.')
    }
    expect(called).toEqual([])
  })

  it('lets reads, stopping an answer and the bridge’s own members through while it runs', async () => {
    const { api, called } = recordingApi()
    const guarded = guardWhileRestoring(api, () => 'still restoring')
    await guarded.status()
    await guarded.cancelRun('r1')
    await guarded.historySnapshot({ cursor: null })
    await guarded.getSettings()
    expect(called).toEqual(['status', 'cancelRun', 'historySnapshot', 'getSettings'])
    expect(guarded.connectionState).toBe('open')
  })

  it('sends every change once the copy is done', async () => {
    const { api, called } = recordingApi()
    let restoring = true
    const guarded = guardWhileRestoring(api, () => (restoring ? 'still restoring' : undefined))
    await expect(guarded.renameSession('s1', 'New title')).rejects.toThrow('still restoring')
    restoring = false
    await guarded.renameSession('s1', 'New title')
    await guarded.enqueue({ sessionId: 's1', prompt: 'hello' })
    expect(called).toEqual(['renameSession', 'enqueue'])
  })
})

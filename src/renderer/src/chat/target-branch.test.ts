import { describe, expect, it } from 'vitest'
import { ParleyError } from '../../../shared'
import type { Notice } from '../notices/notices'
import { switchToTargetBranch } from './target-branch'

describe('switchToTargetBranch (H3)', () => {
  it('answers the leaf main moved to, and says nothing', async () => {
    const shown: Notice[] = []
    const api = { switchBranch: (sessionId: string, messageId: string) => Promise.resolve(`${sessionId}/${messageId}/leaf`) }
    expect(await switchToTargetBranch(api, (n) => shown.push(n), 'chat', 'm1')).toBe('chat/m1/leaf')
    expect(shown).toEqual([])
  })

  it('while the chat answers: no leaf, and a note on where the next prompt goes (not an error)', async () => {
    const shown: Notice[] = []
    const api = { switchBranch: () => Promise.reject(new ParleyError('SessionBusy', 'busy')) }
    expect(await switchToTargetBranch(api, (n) => shown.push(n), 'chat', 'm1')).toBeUndefined()
    expect(shown.map((n) => [n.id, n.tone])).toEqual([['message-target', 'info']])
  })

  it('any other failure: no leaf, and the error in the banner', async () => {
    const shown: Notice[] = []
    const api = { switchBranch: () => Promise.reject(new ParleyError('MessageMissing', 'There is no message m1 in this chat.')) }
    expect(await switchToTargetBranch(api, (n) => shown.push(n), 'chat', 'm1')).toBeUndefined()
    expect(shown[0]?.tone).toBe('error')
    expect(shown[0]?.text).toContain('There is no message m1 in this chat.')
  })
})

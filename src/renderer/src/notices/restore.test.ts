import { describe, expect, it } from 'vitest'
import { Notices } from './notices'
import { rebuildWithNotices, restoreFailedNotice, restoringNotice } from './restore'

describe('the rebuild banners', () => {
  it('counts the chats as they come back', () => {
    expect(restoringNotice({ done: 3, total: 12 })).toEqual({
      id: 'restore',
      tone: 'warning',
      text: 'Restoring your chats from Parley: 3 of 12…',
      dismissible: false
    })
  })

  it('says a failure loses nothing and is tried again at the next start, with one full stop', () => {
    const notice = restoreFailedNotice(new Error('Disconnected.'))
    expect(notice).toMatchObject({ id: 'restore', tone: 'error', dismissible: true })
    expect(notice.text).toBe(
      'Parley could not restore your chats to this window: Disconnected. Nothing is lost: Parley still has them all, and tries again the next time this window opens.'
    )
  })

  it('shows progress while a rebuild runs and removes it when done', async () => {
    const notices = new Notices()
    const seen: string[] = []
    await rebuildWithNotices(async (onProgress) => {
      onProgress({ done: 1, total: 2 })
      seen.push(notices.getSnapshot()[0]?.text ?? '')
    }, notices)
    expect(seen).toEqual(['Restoring your chats from Parley: 1 of 2…'])
    expect(notices.getSnapshot()).toEqual([])
  })

  it('shows the error instead of throwing when a page fails', async () => {
    const notices = new Notices()
    await rebuildWithNotices(async () => {
      throw new Error('Disconnected')
    }, notices)
    expect(notices.getSnapshot().map((n) => n.tone)).toEqual(['error'])
  })
})

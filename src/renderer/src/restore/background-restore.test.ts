import { describe, expect, it } from 'vitest'
import { Notices } from '../notices/notices'
import { BackgroundRestore, restoringNoticeId } from './background-restore'
import { RestoreProgress } from './restore-progress'

const page = (messages: number) => ({ messages, totalMessages: 2_000, sessions: 4, totalSessions: 20 })

describe('BackgroundRestore', () => {
  it('shows a banner that follows the copy, and refuses changes with how far it is, until every chat is back', () => {
    const progress = new RestoreProgress()
    progress.take(page(500))
    const notices = new Notices()
    const restore = new BackgroundRestore(progress, notices, () => undefined)
    const banner = () => notices.getSnapshot().find((notice) => notice.id === restoringNoticeId)
    expect(banner()?.tone).toBe('info')
    expect(banner()?.text).toContain('the newest are here to read')
    expect(banner()?.aside).toBe('500 of 2,000 messages')
    expect(banner()?.dismissible).toBe(false)
    expect(restore.blocked()).toBe('Your chats are still being restored (500 of 2,000 messages): this can be done once every chat is back.')
    progress.take(page(1_500))
    expect(banner()?.aside).toBe('1,500 of 2,000 messages')
    expect(restore.blocked()).toContain('1,500 of 2,000 messages')
    restore.finished()
    expect(banner()).toBeUndefined()
    expect(restore.blocked()).toBeUndefined()
    // Progress after the end (a late page's report) brings no banner back.
    progress.take(page(2_000))
    expect(banner()).toBeUndefined()
  })

  it('a copy that stops short says so with a Reload, and keeps refusing changes', () => {
    const progress = new RestoreProgress()
    const notices = new Notices()
    let reloads = 0
    const restore = new BackgroundRestore(progress, notices, () => (reloads += 1))
    expect(restore.blocked()).toBe('Your chats are still being restored: this can be done once every chat is back.')
    restore.failed(new Error('The connection to Parley was lost.'))
    const banner = notices.getSnapshot().find((notice) => notice.id === restoringNoticeId)
    expect(banner?.tone).toBe('error')
    expect(banner?.detail).toBe('The connection to Parley was lost.')
    banner?.action?.run()
    expect(reloads).toBe(1)
    expect(restore.blocked()).toBe('Parley could not finish restoring your chats: reload the window to try again.')
    progress.take(page(900))
    expect(notices.getSnapshot().find((notice) => notice.id === restoringNoticeId)?.tone).toBe('error')
  })
})

import { describe, expect, it } from 'vitest'
import { copyBackNotice, copyBackNoticeId } from './copy-back'

describe('copyBackNotice', () => {
  it('counts the chats sent while it goes, and can’t be closed meanwhile', () => {
    const notice = copyBackNotice({ phase: 'sending', done: 2, total: 1200 })
    expect(notice).toMatchObject({ id: copyBackNoticeId, tone: 'info', dismissible: false })
    expect(notice.text).toBe('Giving Parley back its lost messages from this window’s copy: 2 of 1,200 chats…')
  })

  it('says what was put back, and that nothing was when main had it all', () => {
    expect(copyBackNotice({ phase: 'done', result: { imported: 3, skipped: 9, messages: 41 } }).text).toBe(
      'Parley has its chats again: 41 messages put back from this window’s copy, in 3 chats it had lost.'
    )
    expect(copyBackNotice({ phase: 'done', result: { imported: 0, skipped: 1, messages: 1 } }).text).toBe('Parley has its chats again: 1 message put back from this window’s copy.')
    const nothing = copyBackNotice({ phase: 'done', result: { imported: 0, skipped: 5, messages: 0 } })
    expect(nothing).toMatchObject({ tone: 'info', dismissible: true, text: 'Parley’s message store already had everything this window holds.' })
  })

  it('is an error that says nothing here changed when the copy could not go back', () => {
    const notice = copyBackNotice({ phase: 'failed' })
    expect(notice).toMatchObject({ id: copyBackNoticeId, tone: 'error', dismissible: true })
    expect(notice.text).toContain('asks again at its next start')
  })
})

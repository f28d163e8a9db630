import Dexie from 'dexie'
import { describe, expect, it } from 'vitest'
import { chatReadNotice, storageNotice } from './storage'

describe('storageNotice', () => {
  it('says the disk is full, and that nothing is lost, when the quota is exceeded (even wrapped)', () => {
    const wrapped = new Dexie.AbortError('Transaction aborted', new DOMException('Quota exceeded.', 'QuotaExceededError'))
    const notice = storageNotice(wrapped)
    expect(notice).toMatchObject({ id: 'storage', tone: 'error', dismissible: false })
    expect(notice.text).toMatch(/^Parley can't save to this computer's storage: the disk is full\. Nothing is lost:/)
  })

  it('says the database was closed, and what to do', () => {
    const text = storageNotice(new Dexie.DatabaseClosedError('Database has been closed')).text
    expect(text).toContain('the history database was closed')
    expect(text).toContain('Nothing is lost')
    expect(text).toContain('Reload')
  })

  it("quotes the browser's words for anything else, with one full stop", () => {
    expect(storageNotice(new Error('Disk on fire.')).text).toBe(
      "Parley can't save to this computer's storage: Disk on fire. Nothing is lost: Parley keeps every change until it is saved, and tries again every second."
    )
    expect(storageNotice(new Dexie.UnknownError('Internal error opening backing store')).text).toContain(
      "the browser won't open it (Internal error opening backing store)"
    )
  })
})

describe('chatReadNotice', () => {
  it("says the chat could not be read, in the browser's words, and can be dismissed", () => {
    expect(chatReadNotice(new Dexie.DatabaseClosedError('Database has been closed'))).toMatchObject({
      id: 'storage-read',
      tone: 'error',
      dismissible: true
    })
    expect(chatReadNotice(new Error('Disk on fire.')).text).toMatch(/^Parley could not read this chat: .*Disk on fire/)
  })
})

import { describe, expect, it } from 'vitest'
import { damagedHistoryNotice } from './damaged-history'

describe('the damaged-history notice', () => {
  it('says what failed, that the chats were restored, and that nothing was lost; it can be dismissed', () => {
    const notice = damagedHistoryNotice(new DOMException('Internal error opening backing store.', 'UnknownError'))
    expect(notice.text).toContain('(Internal error opening backing store)')
    expect(notice.text).toContain('Nothing was lost.')
    expect(notice.dismissible).toBe(true)
  })
})

import { describe, expect, it } from 'vitest'
import { Notices } from './notices'

describe('Notices', () => {
  it('replaces a notice with the same id instead of stacking it, and dismisses it', () => {
    const notices = new Notices()
    let heard = 0
    notices.subscribe(() => (heard += 1))
    notices.show({ id: 'storage', tone: 'error', text: 'disk full', dismissible: true })
    notices.show({ id: 'storage', tone: 'error', text: 'disk full', dismissible: true })
    notices.show({ id: 'storage', tone: 'error', text: 'quota exceeded', dismissible: true })
    expect(notices.getSnapshot().map((notice) => notice.text)).toEqual(['quota exceeded'])
    expect(heard).toBe(2)
    notices.dismiss('storage')
    expect(notices.getSnapshot()).toEqual([])
  })
})

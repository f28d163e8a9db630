import { describe, expect, it } from 'vitest'
import { linkedMessage, messageLink, nextTarget } from './message-target'

describe('message target', () => {
  it('links to a message and reads the link back, ids with any characters', () => {
    const link = messageLink('chat/1', 'message #2')
    expect(link).toBe('#/chat/chat%2F1/message/message%20%232')
    expect(linkedMessage(link)).toEqual({ sessionId: 'chat/1', messageId: 'message #2' })
  })

  it('ignores addresses that are not links to a message', () => {
    expect(linkedMessage('')).toBeUndefined()
    expect(linkedMessage('#/chat/a')).toBeUndefined()
    expect(linkedMessage('#/chat/a/message/')).toBeUndefined()
    expect(linkedMessage('#/chat/%E0%A4%A/message/b')).toBeUndefined()
  })

  it('gives each request a new serial, so the same message can be opened twice', () => {
    const first = nextTarget(undefined, 's', 'm')
    const again = nextTarget(first, 's', 'm')
    expect(again).toEqual({ sessionId: 's', messageId: 'm', serial: first.serial + 1 })
  })
})

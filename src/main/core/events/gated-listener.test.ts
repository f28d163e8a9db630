import { describe, expect, it } from 'vitest'
import { EventBroker } from './event-broker'
import { gatedListener } from './gated-listener'

describe('gatedListener', () => {
  it('holds each event until its gate opens, in seq order, and lets open ones through at once', async () => {
    const broker = new EventBroker()
    const heard: number[] = []
    let open!: () => void
    const closed = new Promise<void>((resolve) => (open = resolve))
    let heldSeq = 0
    broker.subscribe(
      { since: 0 },
      gatedListener((seq) => (seq === heldSeq ? closed : undefined), (event) => void heard.push(event.seq))
    )
    const first = broker.publish({ type: 'session.busy', sessionId: 's', busy: true })
    expect(heard).toEqual([first.seq])
    heldSeq = first.seq + 1
    const held = broker.publish({ type: 'session.busy', sessionId: 's', busy: false })
    const behind = broker.publish({ type: 'session.busy', sessionId: 's', busy: true })
    expect(heard).toEqual([first.seq])
    open()
    await closed
    await Promise.resolve()
    expect(heard).toEqual([first.seq, held.seq, behind.seq])
  })
})

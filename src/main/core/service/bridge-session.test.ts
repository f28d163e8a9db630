import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readClientFrame, type ParleyEvent, type ServerFrame } from '../../../shared'
import { BridgeSession } from './bridge-session'
import { startEchoCore, type EchoCore } from './echo-core'

let echo: EchoCore
let sent: ServerFrame[]

beforeEach(async () => {
  echo = await startEchoCore()
  sent = []
})
afterEach(async () => {
  await echo.close()
})

function session(send: (frame: ServerFrame) => void | Promise<void> = (frame) => void sent.push(frame)) {
  return new BridgeSession(echo.core.service, send)
}

/** Feeds a raw frame the way the transports do: read it, then receive it or refuse it. */
function feed(bridge: BridgeSession, raw: unknown): void {
  const read = readClientFrame(raw)
  if (read.ok) bridge.receive(read.frame)
  else bridge.refuse(read)
}

const until = (check: () => boolean): Promise<void> => expect.poll(check, { timeout: 5_000, interval: 5 }).toBe(true)

const events = (frames: ServerFrame[]): ParleyEvent[] =>
  frames.flatMap((frame) => (frame.kind === 'event' ? [frame.event] : []))

const busy = (n: number) => ({ type: 'session.busy', sessionId: `s${n}`, busy: true }) as const

describe('BridgeSession: one renderer, served', () => {
  it('answers calls with result and error frames carrying the call id', async () => {
    const bridge = session()
    feed(bridge, { kind: 'call', id: 1, method: 'createSession', args: [{ title: 'hi' }] })
    feed(bridge, { kind: 'call', id: 2, method: 'renameSession', args: ['missing', 'x'] })
    feed(bridge, { kind: 'call', id: 3, method: 'launchRockets', args: [] })
    await until(() => sent.length === 3)
    const byId = new Map(sent.map((frame) => ['id' in frame ? frame.id : null, frame]))
    expect(byId.get(1)).toMatchObject({ kind: 'result', result: { title: 'hi' } })
    expect(byId.get(2)).toMatchObject({ kind: 'error', error: { code: 'SessionMissing' } })
    expect(byId.get(3)).toMatchObject({ kind: 'error', error: { code: 'UnknownMethod' } })
  })

  it('streams every retained event after `since`, then the live ones; a second subscribe replays from its own since', async () => {
    // Each event goes out once the journal has written what it depends on (the gate), so these wait for it.
    const seqs = () => events(sent).map((e) => e.seq).join(',')
    for (let n = 1; n <= 3; n++) echo.core.broker.publish(busy(n))
    const bridge = session()
    feed(bridge, { kind: 'subscribe', since: 1 })
    echo.core.broker.publish(busy(4))
    await until(() => seqs() === '2,3,4')
    sent.length = 0
    feed(bridge, { kind: 'subscribe', since: 0 })
    echo.core.broker.publish(busy(5))
    await until(() => seqs() === '1,2,3,4,5')
    feed(bridge, { kind: 'unsubscribe' })
    sent.length = 0
    echo.core.broker.publish(busy(6))
    await echo.core.journal.durable()
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(sent).toEqual([])
  })

  it('F1: each event says which subscribe it answers (none when the subscribe named no stream)', async () => {
    for (let n = 1; n <= 2; n++) echo.core.broker.publish(busy(n))
    const bridge = session()
    feed(bridge, { kind: 'subscribe', since: 0, stream: 7 })
    await until(() => events(sent).length === 2)
    expect(sent.map((frame) => (frame.kind === 'event' ? frame.stream : 'other'))).toEqual([7, 7])
    sent.length = 0
    feed(bridge, { kind: 'subscribe', since: 1 })
    await until(() => events(sent).length === 1)
    expect(sent).toEqual([{ kind: 'event', event: expect.objectContaining({ seq: 2 }) }])
  })

  it('F2: while the renderer is slow to read, its deltas are merged and nothing else is lost', async () => {
    let release: () => void = () => {}
    const slow = session((frame) => {
      sent.push(frame)
      if (sent.length === 1) return new Promise<void>((resolve) => (release = resolve))
    })
    feed(slow, { kind: 'subscribe', since: 0 })
    const delta = (text: string) => ({ type: 'message.delta', sessionId: 's', messageId: 'm', text }) as const
    echo.core.broker.publish(delta('a'))
    for (const text of ['b', 'c', 'd']) echo.core.broker.publish(delta(text))
    echo.core.broker.publish(busy(1))
    await until(() => sent.length === 1)
    release()
    await until(() => sent.length === 3)
    expect(events(sent).map((e) => [e.type, e.type === 'message.delta' ? e.text : '', e.seq])).toEqual([
      ['message.delta', 'a', 1],
      ['message.delta', 'bcd', 4],
      ['session.busy', '', 5]
    ])
  })

  it('close stops the stream: nothing more is sent to a renderer that went away', async () => {
    const bridge = session()
    feed(bridge, { kind: 'subscribe', since: 0 })
    const created = await echo.core.service.createSession({})
    await until(() => sent.length > 0)
    const before = sent.length
    bridge.close()
    await echo.core.service.run({ sessionId: created.id, prompt: 'again' })
    expect(sent).toHaveLength(before)
  })
})

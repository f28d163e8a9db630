import { describe, expect, it } from 'vitest'
import type { Message, ParleyEvent } from '../../../shared'
import { assistantMessage, finished, linearChatRows, userMessage } from '../testing/history-fixtures'
import type { WindowPage } from './message-pages'
import type { MessageRow } from './schema'
import { UncommittedRows, withUncommitted } from './uncommitted-rows'

const CHAT = 'chat'

/** The live end of a chat of `count` messages as Dexie has it, its leaf set by the event `leafSeq`. */
function liveEnd(count: number, leafSeq = count + 1): WindowPage {
  const messages = linearChatRows(CHAT, count)
  const leafId = messages.at(-1)?.id
  return {
    messages,
    start: messages[0]?.createdAt ?? Number.NEGATIVE_INFINITY,
    endAt: messages.at(-1)?.createdAt ?? Number.POSITIVE_INFINITY,
    hasOlder: false,
    hasNewer: false,
    branchLeafId: leafId,
    sessionLeafId: leafId,
    reachesLeaf: true,
    leafSeq
  }
}

let seq = 100
const created = (message: Message): ParleyEvent => ({ type: 'message.created', message, seq: ++seq, at: seq })
const prompt = (id: string, parentId: string | null): Message => ({ ...userMessage(CHAT, id, `prompt ${id}`, 50_000 + seq), parentId })
const answer = (id: string, parentId: string): Message => ({ ...assistantMessage(CHAT, id, 50_000 + seq), parentId })

function heard(...events: ParleyEvent[]): UncommittedRows {
  const rows = new UncommittedRows(() => undefined)
  for (const event of events) rows.take(event)
  return rows
}

const ids = (page: WindowPage): string[] => page.messages.map((row) => row.id)

describe('withUncommitted: what the live end shows before Dexie has it', () => {
  it('adds a prompt and its answer that continue the branch from the leaf the page read', () => {
    const page = liveEnd(4)
    const rows = heard(created(prompt('p', 'm3')), created(answer('a', 'p'))).of(CHAT)
    const shown = withUncommitted(page, rows)
    expect(ids(shown)).toEqual(['m0', 'm1', 'm2', 'm3', 'p', 'a'])
    expect(shown.sessionLeafId).toBe('a')
    expect(shown.branchLeafId).toBe('a')
    expect(shown.endAt).toBe(rows.at(-1)?.createdAt)
  })

  it('adds nothing the page has, or that was created before the event that set the leaf it read', () => {
    const events = [created(prompt('p', 'm3')), created(answer('a', 'p'))]
    const rows = heard(...events).of(CHAT)
    // Read after both were committed: the page has them, its leaf is the answer.
    const read: WindowPage = { ...liveEnd(4), messages: [...liveEnd(4).messages, ...rows], sessionLeafId: 'a', branchLeafId: 'a', leafSeq: events[1]?.seq ?? 0 }
    expect(ids(withUncommitted(read, rows))).toEqual(['m0', 'm1', 'm2', 'm3', 'p', 'a'])
    // Then the branch was switched back to m3 (a later event): p and a are not on it, though they continue from m3.
    const switched = { ...liveEnd(4), leafSeq: (events[1]?.seq ?? 0) + 1 }
    expect(withUncommitted(switched, rows)).toBe(switched)
  })

  it('adds only the chain from the leaf: not a sibling of a message above it, not what follows a gap', () => {
    const page = liveEnd(4)
    const rows = heard(created(prompt('sibling', 'm1')), created(answer('orphan', 'missing')), created(prompt('p', 'm3'))).of(CHAT)
    expect(ids(withUncommitted(page, rows))).toEqual(['m0', 'm1', 'm2', 'm3', 'p'])
  })

  it('starts an empty chat with its first prompt, and leaves pages away from the live end as they are', () => {
    const empty = liveEnd(0, 0)
    expect(ids(withUncommitted(empty, heard(created(prompt('first', null))).of(CHAT)))).toEqual(['first'])
    const rows = heard(created(prompt('p', 'm3'))).of(CHAT)
    const away = { ...liveEnd(4), reachesLeaf: false }
    expect(withUncommitted(away, rows)).toBe(away)
    const otherBranch = { ...liveEnd(4), branchLeafId: 'm1' }
    expect(withUncommitted(otherBranch, rows)).toBe(otherBranch)
  })
})

describe('UncommittedRows', () => {
  it('keeps each message as its row will be: finished in place, gone with a deletion of it or its chat', () => {
    const a = answer('a', 'm3')
    const createdA = created(a)
    const rows = heard(createdA, created(prompt('p2', 'a')))
    const finishedA: ParleyEvent = { type: 'message.finished', message: finished(a, 'Hello'), seq: ++seq, at: seq }
    rows.take(finishedA)
    expect(rows.of(CHAT).map((row: MessageRow) => [row.id, row.status, row.seq, row.createdSeq])).toEqual([
      ['a', 'finished', finishedA.seq, createdA.seq],
      ['p2', 'finished', createdA.seq + 1, createdA.seq + 1]
    ])
    // A replayed, older finish changes nothing.
    rows.take({ ...finishedA, message: finished(a, 'stale'), seq: finishedA.seq - 5 })
    expect(rows.of(CHAT)[0]?.parts).toEqual(finished(a, 'Hello').parts)

    rows.take({ type: 'messages.deleted', sessionId: CHAT, messageIds: ['p2'], leafId: 'a', seq: ++seq, at: seq })
    expect(rows.of(CHAT).map((row) => row.id)).toEqual(['a'])
    rows.take({ type: 'session.deleted', sessionId: CHAT, seq: ++seq, at: seq })
    expect(rows.of(CHAT)).toEqual([])
  })

  it('keeps the newest 64, and tells its listeners once a frame', () => {
    const frames: (() => void)[] = []
    const rows = new UncommittedRows((callback) => frames.push(callback))
    let told = 0
    rows.subscribe(() => (told += 1))
    const before = rows.version()
    for (let i = 0; i < 70; i++) rows.take(created(prompt(`p${i}`, i === 0 ? 'm3' : `p${i - 1}`)))
    expect(rows.of(CHAT).map((row) => row.id)).toEqual(Array.from({ length: 64 }, (_, i) => `p${i + 6}`))
    expect(rows.version()).not.toBe(before)
    expect(frames).toHaveLength(1)
    frames[0]?.()
    expect(told).toBe(1)
  })
})

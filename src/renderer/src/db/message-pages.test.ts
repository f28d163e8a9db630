import type { DBCore, DBCoreTable } from 'dexie'
import { describe, expect, it } from 'vitest'
import { currentBranch } from '../chat/branch'
import { atLiveEnd, followingLeaf, startingAt, withNewer, withOlder, type ChatWindow } from '../chat/message-window'
import { freshDatabase } from '../testing/history-fixtures'
import { endOfPageAbove, readAnyWindow, readWindow, startOfPageBelow, windowAround, type WindowLimits, type WindowPage } from './message-pages'
import type { MessageRow, ParleyDatabase } from './schema'

function row(id: string, createdAt: number, createdSeq: number, parentId: string | null = null, sessionId = 's1'): MessageRow {
  return {
    id,
    sessionId,
    runId: `run-${id}`,
    role: createdSeq % 2 === 1 ? 'user' : 'assistant',
    parts: [{ type: 'text', text: id }],
    status: 'finished',
    createdAt,
    seq: createdSeq,
    createdSeq,
    parentId
  }
}

/** Counts the message rows the database hands out (queries and single reads): what a page read costs. */
const counters = new WeakMap<ParleyDatabase, { rows: number }>()
const countReads = (db: ParleyDatabase): { rows: number } => counters.get(db) ?? { rows: Number.NaN }

/** A fresh database that counts its reads (Dexie takes middleware before it opens). */
function countedDatabase(): ParleyDatabase {
  const db = freshDatabase()
  const counter = { rows: 0 }
  db.use({
    stack: 'dbcore',
    name: 'count-reads',
    create: (down: DBCore): DBCore => ({
      ...down,
      table: (name: string): DBCoreTable => {
        const table = down.table(name)
        if (name !== 'messages') return table
        return {
          ...table,
          get: async (request) => {
            counter.rows++
            return table.get(request)
          },
          query: async (request) => {
            const response = await table.query(request)
            counter.rows += response.result.length
            return response
          },
          openCursor: () => Promise.reject(new Error('message reads go through bounded queries, not cursors'))
        }
      }
    })
  })
  counters.set(db, counter)
  return db
}

/** A linear chat of `count` messages, one a millisecond, each the child of the one before; the leaf is the last. */
async function linearChat(count: number): Promise<ParleyDatabase> {
  const db = countedDatabase()
  const rows = Array.from({ length: count }, (_, i) => row(`m${i}`, 1000 + i, i + 1, i === 0 ? null : `m${i - 1}`))
  await db.messages.bulkPut([...rows, row('elsewhere', 1500, 100_000, null, 's2')])
  await db.sessions.put({ id: 's1', title: null, createdAt: 1, updatedAt: 1, seq: 1, leafId: `m${count - 1}`, leafSeq: count })
  return db
}

const limits: WindowLimits = { page: 20, cap: 80 }

const ids = (page: WindowPage): string[] => currentBranch(page.messages, page.branchLeafId).map((item) => item.message.id)

const shownOf = (page: WindowPage) => ({
  rows: page.messages,
  branch: currentBranch(page.messages, page.branchLeafId).map((item) => ({ id: item.message.id, createdAt: item.message.createdAt }))
})

/** Reads the window as the view does: its start fixed where the read put it, following the leaf once in reach. */
async function settle(db: ParleyDatabase, chat: ChatWindow): Promise<{ chat: ChatWindow; page: WindowPage }> {
  let page = await readWindow(db, 's1', chat.window, limits)
  if (page.reachesLeaf && chat.window.end.kind === 'at') chat = followingLeaf(chat)
  else if (page.start !== chat.window.start) chat = startingAt(chat, page.start)
  page = await readWindow(db, 's1', chat.window, limits)
  return { chat, page }
}

describe('message pages', () => {
  it('opens at the live end: the last page, ending at the leaf', async () => {
    const db = await linearChat(100)
    const { page } = await settle(db, atLiveEnd())
    expect(ids(page)).toEqual(Array.from({ length: 20 }, (_, i) => `m${80 + i}`))
    expect(page.hasOlder).toBe(true)
    expect(page.hasNewer).toBe(false)
    expect(page.reachesLeaf).toBe(true)
  })

  it('opens a long chat at its end in one read of a page and one row (the session read beside it)', async () => {
    const db = await linearChat(1000)
    const reads = countReads(db)
    const page = await readWindow(db, 's1', atLiveEnd().window, limits)
    expect(reads.rows).toBe(limits.page + 1)
    expect(ids(page)).toEqual(Array.from({ length: 20 }, (_, i) => `m${980 + i}`))
    expect(page.start).toBe(1980)
    expect(page.hasOlder).toBe(true)
    expect(page.reachesLeaf).toBe(true)
  })

  it('opens at the end exactly as the general read does, whatever the chat: same-millisecond runs, a leaf switched back, no leaf', async () => {
    // A seeded shuffle of chat shapes around the page's size (20): runs of one to four messages in one millisecond,
    // a leaf on the newest message or switched back to an older one, an empty chat, a chat with no leaf or no row.
    let seed = 7
    const random = (below: number): number => {
      // mulberry32
      seed = (seed + 0x6d2b79f5) | 0
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      return ((t ^ (t >>> 14)) >>> 0) % below
    }
    for (let trial = 0; trial < 120; trial++) {
      const db = freshDatabase()
      const count = random(50)
      const rows: MessageRow[] = []
      let at = 1000
      for (let i = 0; i < count; i++) {
        if (random(3) === 0 || i === 0) at += 1
        rows.push(row(`m${i}-${random(1000)}`, at, i + 1, i === 0 ? null : (rows[random(i)]?.id ?? null)))
      }
      await db.messages.bulkPut(rows)
      const leafChoice = random(4)
      const leafId = leafChoice === 0 ? undefined : leafChoice === 1 ? rows[random(count)]?.id : rows.at(-1)?.id
      if (random(6) > 0) await db.sessions.put({ id: 's1', title: null, createdAt: 1, updatedAt: 1, seq: 1, leafId, leafSeq: count })
      const window = atLiveEnd().window
      const opened = await readWindow(db, 's1', window, limits)
      expect(opened, `trial ${trial}`).toEqual(await readAnyWindow(db, 's1', window, limits))
      expect(opened.messages.length > 0, `trial ${trial}`).toBe(count > 0)
    }
  })

  it('scrolls from the newest to the oldest of 1,000 messages reading a bounded number of rows per page, in order', async () => {
    const db = await linearChat(1000)
    const reads = countReads(db)
    let { chat, page } = await settle(db, atLiveEnd())
    const seen = new Set(ids(page))
    const costs: number[] = []
    let held = 0
    while (page.hasOlder) {
      reads.rows = 0
      const start = await startOfPageBelow(db, 's1', page.start, limits.page, true)
      ;({ chat, page } = await settle(db, withOlder(chat, start, shownOf(page), limits)))
      costs.push(reads.rows)
      held = Math.max(held, page.messages.length)
      const branch = ids(page)
      // Conversation order, no gaps: each window is a run of consecutive messages.
      const numbers = branch.map((id) => Number(id.slice(1)))
      expect(numbers).toEqual(numbers.map((_, i) => (numbers[0] ?? 0) + i))
      for (const id of branch) seen.add(id)
    }
    expect(ids(page)[0]).toBe('m0')
    expect(seen.size).toBe(1000)
    // A page back costs its page, the window (at most its cap, twice: read and settled) and a few single reads.
    expect(Math.max(...costs)).toBeLessThanOrEqual(limits.page + 2 * (limits.cap + 4))
    expect(held).toBeLessThanOrEqual(limits.cap)
    expect(chat.window.end.kind).toBe('at')
  })

  it('scrolls back down to the leaf along the edges it dropped, and then follows the leaf again', async () => {
    const db = await linearChat(300)
    let { chat, page } = await settle(db, atLiveEnd())
    while (page.hasOlder) {
      const start = await startOfPageBelow(db, 's1', page.start, limits.page, true)
      ;({ chat, page } = await settle(db, withOlder(chat, start, shownOf(page), limits)))
    }
    const reads = countReads(db)
    while (page.hasNewer) {
      reads.rows = 0
      const endAt = await endOfPageAbove(db, 's1', page.endAt, limits.page)
      ;({ chat, page } = await settle(db, withNewer(chat, endAt, shownOf(page), limits)))
      expect(reads.rows).toBeLessThanOrEqual(limits.page + 2 * (limits.cap + 4))
      expect(page.messages.length).toBeLessThanOrEqual(limits.cap)
    }
    expect(ids(page).at(-1)).toBe('m299')
    expect(chat.window.end.kind).toBe('leaf')
    // Live again: a new message appends.
    await db.messages.put(row('m300', 2000, 301, 'm299'))
    await db.sessions.update('s1', { leafId: 'm300' })
    expect(ids(await readWindow(db, 's1', chat.window, limits)).at(-1)).toBe('m300')
  })

  it('keeps messages made in the same millisecond together and in creation order, across page edges', async () => {
    const db = freshDatabase()
    // Pairs in one millisecond, ids that sort the wrong way round: the index alone would put the answer first.
    const rows = Array.from({ length: 60 }, (_, i) => row(`${String.fromCharCode(122 - (i % 2) * 25)}${i}`, 1000 + Math.floor(i / 2), i + 1))
    rows.forEach((message, i) => (message.parentId = i === 0 ? null : (rows[i - 1]?.id ?? null)))
    await db.messages.bulkPut(rows)
    await db.sessions.put({ id: 's1', title: null, createdAt: 1, updatedAt: 1, seq: 1, leafId: rows.at(-1)?.id, leafSeq: 60 })
    const odd: WindowLimits = { page: 7, cap: 21 }
    let chat = atLiveEnd()
    let page = await readWindow(db, 's1', chat.window, odd)
    const seen: string[] = []
    for (;;) {
      chat = startingAt(chat, page.start)
      page = await readWindow(db, 's1', chat.window, odd)
      const branch = currentBranch(page.messages, page.branchLeafId).map((item) => item.message.id)
      seen.unshift(...branch.filter((id) => !seen.includes(id)))
      if (!page.hasOlder) break
      const start = await startOfPageBelow(db, 's1', page.start, odd.page, true)
      chat = withOlder(chat, start, shownOf(page), odd)
      page = await readWindow(db, 's1', chat.window, odd)
    }
    expect(seen).toEqual(rows.map((message) => message.id))
  })

  it('shows the current branch when the leaf was switched to a message older than the page (it reaches down to it)', async () => {
    const db = await linearChat(100)
    // A second answer to m40, made last, is the newest message; the leaf went back to the first branch at m60.
    await db.messages.put(row('other', 5000, 500, 'm40'))
    await db.sessions.update('s1', { leafId: 'm60' })
    const reads = countReads(db)
    const { page } = await settle(db, atLiveEnd())
    expect(ids(page)).toEqual(Array.from({ length: 20 }, (_, i) => `m${41 + i}`))
    // Newer rows are read too (within the cap): "other" is m41's sibling, which its "< 1/2 >" needs.
    expect(page.messages.map((message) => message.id)).toContain('other')
    expect(currentBranch(page.messages, page.branchLeafId).find((item) => item.message.id === 'm41')?.siblings).toEqual(['m41', 'other'])
    expect(reads.rows).toBeLessThanOrEqual(2 * (limits.page + limits.cap + 4))
  })

  it('keeps the current branch in a window whose leaf is far below it (dropped while scrolling up)', async () => {
    const db = await linearChat(200)
    // m50 was answered twice: m51 (the branch the leaf is on) and a later answer "alt" with a reply of its own.
    await db.messages.bulkPut([row('alt', 1051, 1000, 'm50'), row('alt-reply', 1052, 1001, 'alt')])
    let { chat, page } = await settle(db, atLiveEnd())
    while (page.hasOlder) {
      const start = await startOfPageBelow(db, 's1', page.start, limits.page, true)
      ;({ chat, page } = await settle(db, withOlder(chat, start, shownOf(page), limits)))
      if (page.start <= 1040) break
    }
    // The window ends short of the leaf, and its branch is still the leaf's: through m51, not "alt".
    expect(page.reachesLeaf).toBe(false)
    const branch = ids(page)
    expect(branch).toContain('m51')
    expect(branch).not.toContain('alt')
    expect(branch).not.toContain('alt-reply')
  })

  it('opens a window around a message deep in a long chat, reading a bounded number of rows', async () => {
    const db = await linearChat(5000)
    const reads = countReads(db)
    const around = await windowAround(db, 's1', 'm1234', limits)
    expect(around).toBeDefined()
    if (!around) return
    const { chat, page } = await settle(db, { window: around, dropped: [] })
    expect(ids(page)).toContain('m1234')
    expect(ids(page)[0]).toBe('m1224')
    expect(page.hasOlder).toBe(true)
    expect(page.hasNewer).toBe(true)
    expect(chat.window.end.kind).toBe('at')
    expect(reads.rows).toBeLessThanOrEqual(limits.page + 2 * (limits.cap + 4))
    expect(await windowAround(db, 's1', 'elsewhere', limits)).toBeUndefined()
    expect(await windowAround(db, 's1', 'missing', limits)).toBeUndefined()
  })

  it('opened at a message on another branch, shows that branch through it', async () => {
    const db = await linearChat(100)
    await db.messages.bulkPut([row('alt', 1031, 1000, 'm30'), row('alt-reply', 1032, 1001, 'alt')])
    const around = await windowAround(db, 's1', 'alt', limits)
    if (!around) throw new Error('no window')
    const { page } = await settle(db, { window: around, dropped: [] })
    const branch = ids(page)
    expect(branch).toContain('alt')
    expect(branch.at(-1)).toBe('alt-reply')
    expect(branch).not.toContain('m31')
    expect(branch[branch.indexOf('alt') - 1]).toBe('m30')
  })
})

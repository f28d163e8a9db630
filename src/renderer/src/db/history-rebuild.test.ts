import { IDBKeyRange, indexedDB } from 'fake-indexeddb'
import Dexie, { liveQuery } from 'dexie'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { messageText, ParleyError, type HistoryPage, type Message, type SnapshotMessage } from '../../../shared'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { assistantMessage, freshDatabase, reopenDatabase, userMessage } from '../testing/history-fixtures'
import { EventApplier } from './applier'
import type { CopyBackState } from '../notices/copy-back'
import { giveBackIfWanted, needsRebuild, rebuildHistory, restoreIfLost, writesOf, type RebuildProgress } from './history-rebuild'
import { encodeChunk, termsOf } from '../search/search-chunks'
import { catchUpSearchIndex, searchIndexReady } from '../search/search-index'
import { openHistory } from './open-history'
import { ParleyDatabase } from './schema'
import { StreamingStore } from './streaming-store'

const appliers: EventApplier[] = []
afterEach(() => {
  for (const applier of appliers.splice(0)) applier.stop()
})

const text = (message: Message, value: string): Message => ({ ...message, parts: [{ type: 'text', text: value }] })

/**
 * Main's history at seq 6, in two pages: chat s1 (a prompt and a finished answer), chat s2 (a prompt and an answer
 * still streaming, "Hel" so far). The fake has published the six events that made it, so a replay from 0 would
 * repeat them all.
 */
function mainWithHistory(): { api: FakeParleyApi; pages: HistoryPage[]; streaming: Message } {
  const api = new FakeParleyApi()
  const u1 = userMessage('s1', 'u1', 'hi')
  const a1 = { ...text(assistantMessage('s1', 'a1'), 'hello'), status: 'finished' as const }
  const u2 = userMessage('s2', 'u2', 'q', 5)
  const a2 = text(assistantMessage('s2', 'a2', 6), 'Hel')
  api.publish({ type: 'session.created', session: { id: 's1', title: 'One', createdAt: 1, updatedAt: 1 } })
  api.publish({ type: 'message.created', message: u1 })
  api.publish({ type: 'message.finished', message: a1 })
  api.publish({ type: 'session.created', session: { id: 's2', title: 'Two', createdAt: 4, updatedAt: 4 } })
  api.publish({ type: 'message.created', message: u2 })
  api.publish({ type: 'message.delta', sessionId: 's2', messageId: 'a2', text: 'Hel' })
  const at = (message: Message, createdSeq: number): SnapshotMessage => ({ message, createdSeq })
  const totals = { sessions: 2, messages: 4 }
  const pages: HistoryPage[] = [
    {
      seq: 6,
      sessions: [{ id: 's1', title: 'One', createdAt: 1, updatedAt: 3, leafId: 'a1' }],
      messages: [at(u1, 2), at(a1, 3)],
      totals,
      next: { snapshotId: 'snap', session: 1, beforeSeq: 0 }
    },
    {
      seq: 6,
      sessions: [{ id: 's2', title: 'Two', createdAt: 4, updatedAt: 6, leafId: 'a2' }],
      messages: [at(u2, 5), at(a2, 5)],
      totals,
      next: null
    }
  ]
  api.historySnapshotAnswer = async (request) => {
    const page = pages[request.cursor === null ? 0 : 1]
    if (!page) throw new Error('no such page')
    return page
  }
  return { api, pages, streaming: a2 }
}

function startApplier(api: FakeParleyApi, db: ParleyDatabase): EventApplier {
  const applier = new EventApplier({ api, db, streaming: new StreamingStore((callback) => queueMicrotask(callback)), checkpointMs: 5 })
  appliers.push(applier)
  return applier
}

describe('rebuilding IndexedDB from main', () => {
  it('is needed when main can no longer replay what this database lacks', () => {
    expect(needsRebuild(0, { replayableAfter: 0, sessions: 0 })).toBe(false)
    expect(needsRebuild(0, { replayableAfter: 12, sessions: 3 })).toBe(true)
    expect(needsRebuild(12, { replayableAfter: 12, sessions: 3 })).toBe(false)
  })

  it('writes every page with its seq as the watermark, shows progress, and records the seq last', async () => {
    const { api } = mainWithHistory()
    const db = freshDatabase()
    const progress: RebuildProgress[] = []
    const seen: number[] = []
    const seq = await rebuildHistory({
      api,
      db,
      onProgress: (p) => progress.push(p),
      afterPage: async () => {
        seen.push(await db.lastAppliedSeq())
      }
    })
    expect(seq).toBe(6)
    expect(seen).toEqual([0, 6])
    expect(progress).toEqual([
      { messages: 2, totalMessages: 4, sessions: 1, totalSessions: 2 },
      { messages: 4, totalMessages: 4, sessions: 2, totalSessions: 2 }
    ])
    expect(await db.sessions.toArray()).toMatchObject([
      { id: 's1', seq: 6, leafId: 'a1', leafSeq: 6, updatedAt: 3 },
      { id: 's2', seq: 6, leafId: 'a2', leafSeq: 6 }
    ])
    expect((await db.messages.toArray()).map((row) => [row.id, row.seq, row.createdSeq])).toEqual([
      ['a1', 6, 3],
      ['a2', 6, 5],
      ['u1', 6, 2],
      ['u2', 6, 5]
    ])
  })

  it('empties the search index with the rows; the idle pass then indexes the finished messages written', async () => {
    const { api } = mainWithHistory()
    const db = freshDatabase()
    await db.searchChunks.put(encodeChunk({ id: 1, messageIds: ['gone'], postings: new Map([['stale', [0]]]) }))
    await db.searchTerms.add({ terms: termsOf({ id: 1, messageIds: ['gone'], postings: new Map([['stale', [0]]]) }, 0) })
    await rebuildHistory({ api, db })
    expect(await db.searchChunks.count()).toBe(0)
    expect(await db.searchTerms.count()).toBe(0)
    expect(await searchIndexReady(db)).toBe(false)
    await catchUpSearchIndex(db)
    expect((await db.searchChunks.toArray()).flatMap((row) => row.messageIds).sort()).toEqual(['a1', 'u1', 'u2'])
    expect(await searchIndexReady(db)).toBe(true)
  })

  it('writes in transactions of at most `rowsPerWrite` rows, and gives the browser its turn between any two', async () => {
    const { api } = mainWithHistory()
    const db = freshDatabase()
    await db.open()
    const transactions = vi.spyOn(db.backendDB(), 'transaction')
    const committed: number[] = []
    let pauses = 0
    await rebuildHistory({
      api,
      db,
      rowsPerWrite: 2,
      onProgress: (p) => committed.push(p.sessions + p.messages),
      pause: async () => {
        pauses += 1
      }
    })
    // Six rows (two pages of a chat and two messages) in writes of two, chats first, committed in order, each write
    // its own transaction; a pause before each write but the first.
    expect(committed).toEqual([2, 3, 5, 6])
    expect(transactions).toHaveBeenCalledTimes(4)
    expect(pauses).toBe(3)
    expect((await db.sessions.count()) + (await db.messages.count())).toBe(6)
  })

  it('records the seq only after every write before it committed: one that fails leaves the rebuild undone', async () => {
    const { api, pages } = mainWithHistory()
    const [first, second] = pages as [HistoryPage, HistoryPage]
    // The last page's first message (u2) is one IndexedDB refuses (no key): its write, the one just before the write
    // that holds the seq (a2), fails.
    const refused = { ...second, messages: [{ ...second.messages[0], message: { ...second.messages[0]?.message, id: undefined } }, second.messages[1]] }
    api.historySnapshotAnswer = async (request) => (request.cursor === null ? first : (refused as unknown as HistoryPage))
    const db = freshDatabase()
    const failing = rebuildHistory({ api, db, rowsPerWrite: 1 })
    await expect(failing).rejects.toThrow()
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(await db.lastAppliedSeq()).toBe(0)
    expect(await db.sessions.get('s2')).toBeDefined()
    expect(await db.messages.get('a2')).toBeUndefined()
  })

  it('splits a page into writes of bounded size, chats first, and keeps an empty page as one write', () => {
    const { pages } = mainWithHistory()
    const page = pages[0] as HistoryPage
    expect(writesOf(page, 2).map((write) => [write.sessions.map((row) => row.id), write.messages.map((row) => row.id)])).toEqual([
      [['s1'], ['u1']],
      [[], ['a1']]
    ])
    expect(writesOf(page, 100)).toHaveLength(1)
    expect(writesOf({ ...page, sessions: [], messages: [] }, 2)).toEqual([{ sessions: [], messages: [] }])
  })

  it('events published during the rebuild, and replays of older ones, apply exactly once', async () => {
    const { api, streaming } = mainWithHistory()
    const db = freshDatabase()
    await rebuildHistory({
      api,
      db,
      afterPage: (page) => {
        if (page.next === null) return
        // While the window rebuilds: more text, a switch of s1's branch to its prompt, a rename, a new prompt in s1.
        api.publish({ type: 'message.delta', sessionId: 's2', messageId: 'a2', text: 'lo' })
        api.publish({ type: 'session.branch', sessionId: 's1', leafId: 'u1' })
        api.publish({ type: 'session.titled', sessionId: 's2', title: 'Renamed', source: 'user' })
        api.publish({ type: 'message.created', message: userMessage('s1', 'u3', 'again', 9) })
      }
    })
    const applier = startApplier(api, db)
    await applier.start()
    await applier.settled()
    // Main replays everything again (a reconnect): nothing changes twice.
    api.redeliver(api.published)
    api.publish({ type: 'message.delta', sessionId: 's2', messageId: 'a2', text: '!' })
    api.publish({ type: 'message.finished', message: { ...text(streaming, 'Hello!'), status: 'finished' } })
    await applier.committedThrough(api.published.length)

    const a2 = await db.messages.get('a2')
    expect(a2 && messageText(a2)).toBe('Hello!')
    expect(await db.sessions.get('s1')).toMatchObject({ leafId: 'u3', title: 'One' })
    expect(await db.sessions.get('s2')).toMatchObject({ title: 'Renamed', leafId: 'a2' })
    expect((await db.messages.toArray()).map((row) => row.id).sort()).toEqual(['a1', 'a2', 'u1', 'u2', 'u3'])
  })

  it('the streaming text is not doubled: a delta after the snapshot adds to it, one before it does not', async () => {
    const { api } = mainWithHistory()
    const db = freshDatabase()
    await rebuildHistory({ api, db })
    api.publish({ type: 'message.delta', sessionId: 's2', messageId: 'a2', text: 'lo' })
    const applier = startApplier(api, db)
    await applier.start()
    await applier.settled()
    api.redeliver(api.published)
    await applier.committedThrough(api.published.length)
    const a2 = await db.messages.get('a2')
    expect(a2 && messageText(a2)).toBe('Hello')
  })

  it('a rebuild cut short leaves nothing applied, so the next start rebuilds again, each row once', async () => {
    const { api } = mainWithHistory()
    const db = freshDatabase()
    const cut = rebuildHistory({
      api,
      db,
      afterPage: () => {
        throw new Error('the window was closed')
      }
    })
    await expect(cut).rejects.toThrow('the window was closed')
    db.close()
    const reloaded = reopenDatabase(db)
    expect(needsRebuild(await reloaded.lastAppliedSeq(), { replayableAfter: 6, sessions: 2 })).toBe(true)
    expect(await rebuildHistory({ api, db: reloaded })).toBe(6)
    expect(await reloaded.messages.count()).toBe(4)
    expect(await reloaded.sessions.count()).toBe(2)
  })

  it('a snapshot main let go is started again', async () => {
    const { api, pages } = mainWithHistory()
    let expired = false
    api.historySnapshotAnswer = async (request) => {
      if (request.cursor !== null && !expired) {
        expired = true
        throw new ParleyError('SnapshotExpired', 'let go')
      }
      return pages[request.cursor === null ? 0 : 1] as HistoryPage
    }
    const db = freshDatabase()
    expect(await rebuildHistory({ api, db })).toBe(6)
    // The first page, the one refused, then the whole snapshot again.
    expect(api.calls.filter((call) => call.method === 'historySnapshot')).toHaveLength(4)
    expect(await db.messages.count()).toBe(4)
  })

  it('main restarting mid-page (Disconnected) starts the rebuild again; past the attempts it is an error', async () => {
    const { api, pages } = mainWithHistory()
    let cuts = 2
    api.historySnapshotAnswer = async (request) => {
      if (request.cursor !== null && cuts > 0) {
        cuts -= 1
        throw new ParleyError('Disconnected', 'the connection to Parley dropped while this call was in flight')
      }
      return pages[request.cursor === null ? 0 : 1] as HistoryPage
    }
    const db = freshDatabase()
    expect(await rebuildHistory({ api, db })).toBe(6)
    expect(api.calls.filter((call) => call.method === 'historySnapshot')).toHaveLength(6)
    expect(await db.messages.count()).toBe(4)

    cuts = 3
    await expect(rebuildHistory({ api, db: freshDatabase('parley-cut-thrice'), attempts: 3 })).rejects.toMatchObject({ code: 'Disconnected' })
  })
})

/** The same history as main's one page. */
function onePage(pages: readonly HistoryPage[]): HistoryPage {
  const [first] = pages
  if (!first) throw new Error('no pages')
  return { ...first, sessions: pages.flatMap((page) => page.sessions), messages: pages.flatMap((page) => page.messages), next: null }
}

describe('rebuilding IndexedDB from main while the window shows its chats', () => {
  // Dexie's live queries run only where it finds an IndexedDB of its own (a page's): here, the fake one.
  const dependencies = { ...Dexie.dependencies }
  beforeAll(() => Object.assign(Dexie.dependencies, { indexedDB, IDBKeyRange }))
  afterAll(() => Object.assign(Dexie.dependencies, dependencies))

  it('says the window may show its chats once, after the first page when more follow; later writes reach live queries', async () => {
    const { api } = mainWithHistory()
    const db = freshDatabase()
    const heard: string[][] = []
    let readable = 0
    let subscription: { unsubscribe(): void } | undefined
    let firstHeard: () => void = () => undefined
    const listening = new Promise<void>((resolve) => (firstHeard = resolve))
    await rebuildHistory({
      api,
      db,
      // Two small pages: shown early anyway, as a long history is.
      showEarlyOver: 0,
      onReadable: () => {
        readable += 1
        // What the window's views do: a Dexie live query over the rows.
        subscription = liveQuery(() => db.sessions.toArray()).subscribe((rows) => {
          heard.push(rows.map((row) => row.id))
          firstHeard()
        })
      },
      // The second page waits until the view has read the first: the rows it writes next must reach it.
      pause: () => (readable > 0 ? listening : Promise.resolve())
    })
    await expect.poll(() => heard.at(-1)).toEqual(['s1', 's2'])
    expect(heard[0]).toEqual(['s1'])
    expect(readable).toBe(1)
    expect(await db.lastAppliedSeq()).toBe(6)
    subscription?.unsubscribe()
  })

  it('goes on copying only once what onReadable answers settles (the window drawn first)', async () => {
    const { api } = mainWithHistory()
    const db = freshDatabase()
    let drawn: () => void = () => undefined
    const drawing = new Promise<void>((resolve) => (drawn = resolve))
    let told = false
    const rebuilt = rebuildHistory({
      api,
      db,
      // Two small pages: shown early anyway, as a long history is.
      showEarlyOver: 0,
      onReadable: () => {
        told = true
        return drawing
      }
    })
    await expect.poll(() => told).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(await db.sessions.count()).toBe(1)
    drawn()
    expect(await rebuilt).toBe(6)
    expect(await db.sessions.count()).toBe(2)
  })

  it('a history with few rows after its first page is written whole before the window is shown', async () => {
    const { api } = mainWithHistory()
    const db = freshDatabase()
    let readable = 0
    await rebuildHistory({ api, db, onReadable: () => void (readable += 1), showEarlyOver: 3 })
    expect(readable).toBe(0)
    expect(await db.sessions.count()).toBe(2)
    // One row more than that left, and the window is shown after the first page.
    await rebuildHistory({ api, db: freshDatabase('parley-shown-early'), onReadable: () => void (readable += 1), showEarlyOver: 2 })
    expect(readable).toBe(1)
  })

  it('a history of one page is written whole before the window is shown: it is never told it may show it early', async () => {
    const { api, pages } = mainWithHistory()
    const whole = onePage(pages)
    api.historySnapshotAnswer = async () => whole
    const db = freshDatabase()
    let readable = 0
    await rebuildHistory({
      api,
      db,
      onReadable: () => {
        readable += 1
      }
    })
    expect(readable).toBe(0)
    expect(await db.sessions.count()).toBe(2)
  })

  it('a rebuild started again after the window was shown (main restarted) writes where the window hears of it', async () => {
    const { api, pages } = mainWithHistory()
    const [first] = pages
    if (!first) throw new Error('no pages')
    // Asked again after main restarted mid-copy, the history comes in one page: only its write can reach the view.
    const whole = onePage(pages)
    let asked = 0
    api.historySnapshotAnswer = async () => {
      asked += 1
      if (asked === 1) return first
      if (asked === 2) throw new ParleyError('Disconnected', 'main restarted')
      return whole
    }
    const db = freshDatabase()
    const heard: number[] = []
    let subscription: { unsubscribe(): void } | undefined
    let readable = 0
    const modes: unknown[] = []
    await rebuildHistory({
      api,
      db,
      // Two small pages: shown early anyway, as a long history is.
      showEarlyOver: 0,
      onReadable: () => {
        readable += 1
        subscription = liveQuery(() => db.sessions.count()).subscribe((count) => heard.push(count))
        const transaction = db.transaction.bind(db)
        vi.spyOn(db, 'transaction').mockImplementation(((mode: unknown, ...rest: unknown[]) => {
          modes.push(mode)
          return Reflect.apply(transaction, db, [mode, ...rest]) as unknown
        }) as typeof db.transaction)
      }
    })
    await expect.poll(() => heard.at(-1)).toBe(2)
    expect(readable).toBe(1)
    // After the window was shown: the tables emptied, and the one page written, both through Dexie.
    expect(modes).toEqual(['rw', 'rw'])
    subscription?.unsubscribe()
  })
})

describe('rebuilding IndexedDB from main: the database', () => {
  it('a database that fails to open is deleted and made anew, empty', async () => {
    const name = 'parley-damaged'
    const old = freshDatabase(name)
    await old.meta.put({ key: 'lastAppliedSeq', value: 40 })
    old.close()
    // The browser can't open what it has on disk, once.
    let failures = 1
    const damaged = new Proxy(indexedDB, {
      get(target, key) {
        if (key === 'open' && failures > 0) {
          failures -= 1
          return () => {
            throw new DOMException('The backing store is damaged', 'InvalidStateError')
          }
        }
        const value: unknown = Reflect.get(target, key)
        return typeof value === 'function' ? value.bind(target) : value
      }
    })
    const opened = await openHistory(() => new ParleyDatabase(name, { indexedDB: damaged, IDBKeyRange }))
    expect(opened.damaged).toBe(true)
    expect(opened.damaged && String(opened.cause)).toContain('backing store')
    expect(await opened.db.lastAppliedSeq()).toBe(0)
    opened.db.close()

    const again = await openHistory(() => new ParleyDatabase(name, { indexedDB, IDBKeyRange }))
    expect(again.damaged).toBe(false)
    again.db.close()
  })
})

describe('restoring a window whose history main can no longer replay (restoreIfLost)', () => {
  it('rebuilds only when needed, shows progress from the first page, and asks again after each rebuild', async () => {
    const { api } = mainWithHistory()
    const db = freshDatabase()
    const states = [{ replayableAfter: 3, sessions: 2 }, { replayableAfter: 9, sessions: 2 }, { replayableAfter: 3, sessions: 2 }]
    api.historyStateAnswer = async () => states.shift() ?? { replayableAfter: 0, sessions: 2 }
    const progress: RebuildProgress[] = []
    let shown = 0
    await restoreIfLost({
      api,
      db,
      rebuilding: () => {
        shown += 1
        return (p) => progress.push(p)
      }
    })
    // Rebuilt to seq 6; main then said it can replay only after 9 (it let events go meanwhile): rebuilt again.
    expect(api.calls.filter((call) => call.method === 'historySnapshot')).toHaveLength(4)
    expect(shown).toBe(1)
    expect(progress.at(-1)).toMatchObject({ messages: 4, totalMessages: 4 })
    expect(await db.lastAppliedSeq()).toBe(6)

    const untouched = freshDatabase('parley-replayable')
    api.calls.length = 0
    await restoreIfLost({ api, db: untouched })
    expect(api.calls.map((call) => call.method)).toEqual(['historyState'])
  })

  it("gives main back this window's copy when main lost its own, before and instead of any rebuild", async () => {
    const { api } = mainWithHistory()
    const db = freshDatabase('parley-copy-back')
    await rebuildHistory({ api, db })
    api.calls.length = 0
    // Main's log was replaced, and it can replay only after 9: without the copy back, this window would rebuild from
    // main's loss and lose its own copy.
    const states = [{ replayableAfter: 9, sessions: 2, logRestoreWanted: true }, { replayableAfter: 0, sessions: 2 }]
    api.historyStateAnswer = async () => states.shift() ?? { replayableAfter: 0, sessions: 2 }
    let shown = 0
    await restoreIfLost({
      api,
      db,
      copyingBack: () => {
        shown += 1
        return () => undefined
      }
    })
    expect(api.calls.map((call) => call.method)).toEqual(['historyState', 'restoreLog', 'finishLogRestore', 'historyState'])
    expect(shown).toBe(1)
    expect(await db.messages.count()).toBe(4)

    // Cut off while it sends: the window keeps its copy as it is (no rebuild), and main asks again at the next start.
    api.calls.length = 0
    api.historyStateAnswer = async () => ({ replayableAfter: 9, sessions: 2, logRestoreWanted: true })
    api.restoreLogAnswer = async () => {
      throw new ParleyError('Disconnected', 'the connection to Parley dropped while this call was in flight')
    }
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    await restoreIfLost({ api, db })
    warn.mockRestore()
    expect(api.calls.map((call) => call.method)).toEqual(['historyState', 'restoreLog'])
    expect(await db.messages.count()).toBe(4)
    expect(await db.lastAppliedSeq()).toBe(6)

    // A window with nothing to give rebuilds from main as usual.
    api.calls.length = 0
    api.historyStateAnswer = async () => ({ replayableAfter: 3, sessions: 2, logRestoreWanted: true })
    const empty = freshDatabase('parley-copy-back-empty')
    await restoreIfLost({ api, db: empty })
    expect(api.calls.map((call) => call.method)).not.toContain('restoreLog')
    expect(await empty.messages.count()).toBe(4)
  })

  it('a window already open gives its copy back when main, started again, asks for it; never throws', async () => {
    const { api } = mainWithHistory()
    const db = freshDatabase('parley-give-back')
    await rebuildHistory({ api, db })
    api.calls.length = 0
    await giveBackIfWanted({ api, db })
    expect(api.calls.map((call) => call.method)).toEqual(['historyState'])
    api.calls.length = 0
    api.historyStateAnswer = async () => ({ replayableAfter: 0, sessions: 2, logRestoreWanted: true })
    // The banner's states: the chats counted from none as they go, then what main put back.
    const states: CopyBackState[] = []
    await giveBackIfWanted({ api, db }, (state) => states.push(state))
    expect(api.calls.map((call) => call.method)).toEqual(['historyState', 'restoreLog', 'finishLogRestore'])
    expect(states.map((state) => state.phase)).toEqual(['sending', 'sending', 'done'])
    expect(states[0]).toEqual({ phase: 'sending', done: 0, total: 2 })
    expect(states[1]).toEqual({ phase: 'sending', done: 2, total: 2 })
    api.restoreLogAnswer = async () => ({ imported: 1, skipped: 1, messages: 3 })
    states.length = 0
    await giveBackIfWanted({ api, db }, (state) => states.push(state))
    expect(states.at(-1)).toEqual({ phase: 'done', result: { imported: 1, skipped: 1, messages: 3 } })
    api.historyStateAnswer = async () => {
      throw new ParleyError('Disconnected', 'gone again')
    }
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    states.length = 0
    await expect(giveBackIfWanted({ api, db }, (state) => states.push(state))).resolves.toBeUndefined()
    expect(warn).toHaveBeenCalledTimes(1)
    expect(states).toEqual([{ phase: 'failed' }])
    warn.mockRestore()
  })

  it('waits out main restarting while it is asked (Disconnected), and gives up on any other error', async () => {
    const { api } = mainWithHistory()
    let cuts = 2
    api.historyStateAnswer = async () => {
      if (cuts-- > 0) throw new ParleyError('Disconnected', 'the connection to Parley dropped while this call was in flight')
      return { replayableAfter: 6, sessions: 2 }
    }
    const db = freshDatabase()
    await restoreIfLost({ api, db })
    expect(await db.messages.count()).toBe(4)

    api.historyStateAnswer = async () => {
      throw new ParleyError('Internal', 'broken')
    }
    await expect(restoreIfLost({ api, db: freshDatabase('parley-broken') })).rejects.toMatchObject({ code: 'Internal' })
  })
})

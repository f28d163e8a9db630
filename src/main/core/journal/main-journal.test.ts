import { appendFileSync, mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { messageText, type Message } from '../../../shared'
import { EventBroker } from '../events/event-broker'
import { fsDisk, type JournalDisk } from './journal-file'
import { MainJournal, seqReserve } from './main-journal'

const path = () => join(mkdtempSync(join(tmpdir(), 'parley-journal-')), 'journal.jsonl')
const run = (runId: string, prompt = runId) => ({ runId, sessionId: 's1', prompt, enqueuedAt: Date.now() })
const message = (id: string, runId: string, role: Message['role'], text: string): Message => ({
  id,
  sessionId: 's1',
  runId,
  role,
  parts: [{ type: 'text', text }],
  status: role === 'user' ? 'finished' : 'streaming',
  createdAt: 1
})

/** A journal attached to a broker, the way main uses it. */
function openAttached(file: string) {
  const broker = new EventBroker()
  const opened = MainJournal.open(file, { checkpointMs: 5 })
  broker.resumeAfter(opened.recovery.lastSeq)
  opened.journal.attach(broker)
  return { broker, ...opened }
}

describe('MainJournal', async () => {
  it('G1: queued prompts come back after a restart, in the order they were accepted', async () => {
    const file = path()
    const { journal } = openAttached(file)
    for (const id of ['a', 'b', 'c', 'd']) journal.accepted(run(id))
    journal.started('a')
    journal.ended('a')
    journal.ended('c') // removed from the queue (cancelled)
    await journal.close()
    const { recovery } = MainJournal.open(file)
    expect(recovery.queued.map((r) => r.runId)).toEqual(['b', 'd'])
    expect(recovery.interrupted).toEqual([])
  })

  it('G1: a prompt that waited (C3) keeps its place and its user message', async () => {
    const file = path()
    const { journal, broker } = openAttached(file)
    journal.accepted(run('a'))
    journal.accepted(run('b'))
    journal.started('a')
    const created = broker.publish({ type: 'message.created', message: message('u1', 'a', 'user', 'a') })
    journal.accepted(run('a')) // back at the head, waiting
    await journal.close()
    const { recovery } = MainJournal.open(file)
    expect(recovery.queued.map((r) => [r.runId, r.userMessage])).toEqual([
      ['a', { id: 'u1', seq: created.seq }],
      ['b', undefined]
    ])
  })

  it('G2: a run cut off mid-stream comes back with its assistant message and the text it had', async () => {
    const file = path()
    const { journal, broker } = openAttached(file)
    journal.accepted(run('a'))
    journal.started('a')
    broker.publish({ type: 'message.created', message: message('u1', 'a', 'user', 'hello') })
    broker.publish({ type: 'message.created', message: message('m1', 'a', 'assistant', '') })
    broker.publish({ type: 'message.delta', sessionId: 's1', messageId: 'm1', text: 'Hel', reasoning: 'think' })
    broker.publish({ type: 'message.delta', sessionId: 's1', messageId: 'm1', text: 'lo' })
    // No close: a crash, once the tick's group is written (fsync is what makes it survive a power cut).
    await journal.durable()
    const { recovery } = MainJournal.open(file)
    expect(recovery.interrupted).toHaveLength(1)
    const [interrupted] = recovery.interrupted
    expect(interrupted?.run.runId).toBe('a')
    expect(interrupted?.message?.id).toBe('m1')
    expect(messageText(interrupted?.message as Message)).toBe('Hello')
    expect(interrupted?.message?.parts[0]).toEqual({ type: 'reasoning', text: 'think' })
  })

  it('A torn last line (a crash mid-write) is detected and dropped, and the rest is kept', async () => {
    const file = path()
    const { journal } = openAttached(file)
    journal.accepted(run('a'))
    journal.accepted(run('b'))
    await journal.close()
    appendFileSync(file, '{"t":"accepted","run":{"runId":"c","sessi')
    const { recovery, journal: reopened } = MainJournal.open(file)
    expect(recovery.tornTail).toBe(true)
    expect(recovery.queued.map((r) => r.runId)).toEqual(['a', 'b'])
    reopened.accepted(run('d'))
    await reopened.close()
    // The torn line is gone from the file, so the next line is whole.
    const again = MainJournal.open(file).recovery
    expect(again.tornTail).toBe(false)
    expect(again.queued.map((r) => r.runId)).toEqual(['a', 'b', 'd'])
  })

  it('F3: history events stay in the outbox until acknowledged, and come back after a restart', async () => {
    const file = path()
    const { journal, broker } = openAttached(file)
    const first = broker.publish({ type: 'session.created', session: { id: 's1', title: null, createdAt: 0, updatedAt: 0 } })
    broker.publish({ type: 'session.busy', sessionId: 's1', busy: true }) // not history: not kept
    const second = broker.publish({ type: 'message.created', message: message('u1', 'a', 'user', 'hi') })
    journal.ack(first.seq)
    expect(journal.outboxSize).toBe(1)
    await journal.close()
    const { recovery } = MainJournal.open(file)
    expect(recovery.outbox.map((e) => e.seq)).toEqual([second.seq])
    expect(recovery.lastSeq).toBeGreaterThanOrEqual(second.seq)
  })

  it('F3: a compacted journal keeps its ack (the reservation is written before it), and one beyond every seq is left out', async () => {
    const file = path()
    const { journal, broker } = openAttached(file)
    const first = broker.publish({ type: 'session.created', session: { id: 's1', title: null, createdAt: 0, updatedAt: 0 } })
    const second = broker.publish({ type: 'message.created', message: message('u1', 'a', 'user', 'hi') })
    journal.ack(second.seq)
    journal.compact()
    await journal.close()
    const reopened = MainJournal.open(file)
    expect(reopened.journal.ackedSeq).toBe(second.seq)
    expect(reopened.recovery.outbox).toEqual([])
    expect(reopened.recovery.ackBeyond).toBe(false)
    await reopened.journal.close()

    // Damage: an ack far beyond anything recorded. The events it would drop stay, and seqs keep their count.
    const damaged = path()
    const opened = openAttached(damaged)
    opened.broker.publish({ type: 'session.created', session: { id: 's1', title: null, createdAt: 0, updatedAt: 0 } })
    await opened.journal.close()
    appendFileSync(damaged, `${JSON.stringify({ t: 'ack', seq: Number.MAX_SAFE_INTEGER })}\n`)
    const recovered = MainJournal.open(damaged).recovery
    expect(recovered.ackBeyond).toBe(true)
    expect(recovered.outbox.map((e) => e.seq)).toEqual([first.seq])
    expect(recovered.lastSeq).toBeLessThan(2 * seqReserve)
  })

  it('F1: a restart never reuses a seq, even one given to an event that is not history', async () => {
    const file = path()
    const { journal, broker } = openAttached(file)
    const history = broker.publish({ type: 'session.created', session: { id: 's1', title: null, createdAt: 0, updatedAt: 0 } })
    journal.ack(history.seq)
    broker.publish({ type: 'session.busy', sessionId: 's1', busy: true })
    const last = broker.publish({
      type: 'run.complete',
      complete: { runId: 'r', sessionId: 's1', text: '', cancelled: false }
    })
    // A crash once the tick's group is written: no close. Then a compaction on the next start must keep the number too.
    await journal.durable()
    const first = MainJournal.open(file)
    expect(first.recovery.lastSeq).toBeGreaterThanOrEqual(last.seq)
    first.journal.compact()
    await first.journal.close()
    expect(MainJournal.open(file).recovery.lastSeq).toBe(first.recovery.lastSeq)
  })

  it('compacts when it grows: the file shrinks and says the same', async () => {
    const file = path()
    const broker = new EventBroker()
    const { journal } = MainJournal.open(file, { compactBytes: 20_000 })
    journal.attach(broker)
    journal.accepted(run('queued'))
    let last = 0
    for (let i = 0; i < 400; i++) {
      last = broker.publish({ type: 'message.created', message: message(`m${i}`, 'x', 'user', 'y'.repeat(50)) }).seq
      if (i % 10 === 9) journal.ack(last - 1)
    }
    expect(statSync(file).size).toBeLessThan(40_000)
    await journal.close()
    const { recovery } = MainJournal.open(file)
    expect(recovery.queued.map((r) => r.runId)).toEqual(['queued'])
    expect(recovery.outbox.map((e) => e.seq)).toEqual([last])
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean).length).toBeLessThan(10)
  })

  it('written: what was recorded is in the file once its write is done, without waiting for an fsync (a turn waits for it)', async () => {
    const file = path()
    let releaseFsync!: () => void
    const fsyncHeld = new Promise<void>((resolve) => (releaseFsync = resolve))
    let releaseWrite!: () => void
    const writeHeld = new Promise<void>((resolve) => (releaseWrite = resolve))
    let writes = 0
    const disk: JournalDisk = {
      write: async (fd, text) => {
        // The first group's write is held; the second's (another tick) goes when the first is done.
        if (writes++ === 0) await writeHeld
        await fsDisk.write(fd, text)
      },
      fsync: async (fd) => {
        await fsyncHeld
        await fsDisk.fsync(fd)
      }
    }
    const { journal } = MainJournal.open(file, { disk })
    expect(journal.written()).toBeUndefined()
    journal.accepted(run('a'))
    let written = false
    void journal.written()?.then(() => (written = true))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(written).toBe(false)
    releaseWrite()
    await new Promise((resolve) => setTimeout(resolve, 20))
    // In the file, though its fsync (asked for by `accepted`) is still held: a killed process keeps it.
    expect(written).toBe(true)
    expect(readFileSync(file, 'utf8')).toContain('"runId":"a"')
    // A later tick's records are written without waiting for the earlier fsync either; durable only after it.
    journal.accepted(run('b'))
    await journal.written()
    expect(readFileSync(file, 'utf8')).toContain('"runId":"b"')
    let durable = false
    void journal.durable().then(() => (durable = true))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(durable).toBe(false)
    releaseFsync()
    await journal.durable()
    expect(journal.written()).toBeUndefined()
    await journal.close()
  })

  it('group commit: what one tick records is one write and one fsync, and gate holds an event until it is durable', async () => {
    const file = path()
    const calls: string[] = []
    let release!: () => void
    const fsyncHeld = new Promise<void>((resolve) => (release = resolve))
    const disk: JournalDisk = {
      write: async (fd, text) => {
        calls.push(`write ${text.split('\n').length - 1} lines`)
        await fsDisk.write(fd, text)
      },
      fsync: async (fd) => {
        await fsyncHeld
        calls.push('fsync')
        await fsDisk.fsync(fd)
      }
    }
    const broker = new EventBroker()
    const { journal } = MainJournal.open(file, { disk })
    journal.attach(broker)
    for (const id of ['a', 'b', 'c']) {
      journal.accepted(run(id))
      journal.started(id)
    }
    const started = broker.publish({ type: 'run.started', runId: 'a', sessionId: 's1' })
    const gate = journal.gate(started.seq)
    let opened = false
    void gate?.then(() => (opened = true))
    await new Promise((resolve) => setTimeout(resolve, 20))
    // Written (six run records and one seq reservation), not yet synced: the event is still held.
    expect(calls).toEqual(['write 7 lines'])
    expect(opened).toBe(false)
    release()
    await gate
    expect(opened).toBe(true)
    expect(calls).toEqual(['write 7 lines', 'fsync'])
    expect(journal.gate(started.seq)).toBeUndefined()
    await journal.close()
    expect(MainJournal.open(file).recovery.lastSeq).toBe(started.seq + seqReserve)
  })

  it('keeps a bounded outbox in memory when nothing acknowledges (no window): the newest events', async () => {
    const broker = new EventBroker()
    const { journal } = MainJournal.open(path(), { keptOutbox: 5 })
    journal.attach(broker)
    let last = 0
    for (let i = 0; i < 30; i++) last = broker.publish({ type: 'message.created', message: message(`m${i}`, 'x', 'user', 'y') }).seq
    expect(journal.outboxSize).toBeLessThan(10)
    expect(journal.outboxSize).toBeGreaterThanOrEqual(5)
    journal.ack(last - 1)
    expect(journal.outboxSize).toBe(1)
    await journal.close()
  })

  it('F3: what the bounded outbox let go is not offered for replay, after a restart and a compaction too', async () => {
    // Found by the window's crash test's reasoning: after a restart the broker's ring is only the outbox, and
    // historyState said a window that had nothing (since 0) could be replayed to, so it never rebuilt.
    const file = path()
    const broker = new EventBroker()
    const { journal } = MainJournal.open(file, { keptOutbox: 5 })
    journal.attach(broker)
    const seqs: number[] = []
    for (let i = 0; i < 30; i++) seqs.push(broker.publish({ type: 'message.created', message: message(`m${i}`, 'x', 'user', 'y') }).seq)
    const firstIn = (outbox: readonly { seq: number }[]): number => Math.min(...outbox.map((event) => event.seq))
    // Everything after replayableAfter is still in the outbox; everything at or before it is not.
    const trimmedLive = journal.replayableAfter
    expect(seqs).toContain(trimmedLive)
    expect(trimmedLive).toBeGreaterThan(seqs[0] ?? 0)
    await journal.close()

    const reopened = MainJournal.open(file, { keptOutbox: 5 })
    expect(reopened.journal.replayableAfter).toBe(firstIn(reopened.recovery.outbox) - 1)
    reopened.journal.compact()
    await reopened.journal.close()
    const compacted = MainJournal.open(file, { keptOutbox: 5 })
    expect(compacted.recovery.outbox.length).toBeGreaterThanOrEqual(5)
    expect(compacted.journal.replayableAfter).toBe(firstIn(compacted.recovery.outbox) - 1)
    await compacted.journal.close()
  })
})

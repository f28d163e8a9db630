import { performance } from 'node:perf_hooks'
import { SessionAgent } from '../src/main/core/agent/session-agent'
import { MemoryHistory } from '../src/main/core/agent/test-fixtures/memory-history'
import type { HistoryPort, ModelPort } from '../src/main/core/agent/ports'
import { EventBroker } from '../src/main/core/events/event-broker'
import { gatedListener } from '../src/main/core/events/gated-listener'
import { SessionLog } from '../src/main/core/history/session-log'
import { MainJournal } from '../src/main/core/journal/main-journal'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InstantModel } from './instant-model'

export interface CoreReport {
  drain: { sessions: number; promptsPerSession: number; turns: number; seconds: number; turnsPerSecond: number }
  handoff: { handoffs: number; meanMs: number; p50Ms: number; p99Ms: number }
  /** One session with 1,000 queued prompts: each hand-off also reads and trims a history that keeps growing. */
  handoffLongSession: { handoffs: number; meanMs: number; p50Ms: number; p99Ms: number }
  idleSession: { sessions: number; bytesPerSession: number; afterTurnsBytesPerSession: number }
  /**
   * The same drain with main's session log and journal on disk, as the app runs (group commit), each RunComplete
   * counted when a subscriber of the service would hear it (after the journal's gate).
   */
  journaled: { sessions: number; promptsPerSession: number; turns: number; seconds: number; turnsPerSecond: number; journalBytes: number }
  /** Main's heap, idle, before and after 100,000 messages in 1,000 sessions, with the log and journal on disk. */
  heap: { sessions: number; messages: number; startMb: number; endMb: number; growthMb: number; peakMb: number }
  /** From enqueue to the provider's request, with main's session log on disk, in chats of different lengths (H4). */
  turnStart: TurnStartReport[]
}

export interface TurnStartReport {
  chatMessages: number
  turns: number
  meanMs: number
  p50Ms: number
  p99Ms: number
  /** Messages the log read per turn, on average (the chat grows by two messages a turn). */
  messagesReadPerTurn: number
  /** Messages the log read for the first turn, in a chat of exactly `chatMessages`. */
  messagesReadFirstTurn: number
}

function agentWith(model: InstantModel, history: HistoryPort, broker: EventBroker, journal?: MainJournal): SessionAgent {
  const models: ModelPort = {
    large: () => ({ provider: model, ref: { providerId: 'instant', model: 'instant', contextWindow: 8192, maxOutputTokens: 256 } }),
    small: () => undefined
  }
  return new SessionAgent({ broker, history, models, ...(journal ? { journal } : {}) })
}

function freshAgent() {
  const broker = new EventBroker()
  const history = new MemoryHistory()
  history.attach(broker)
  const model = new InstantModel()
  return { broker, history, model, agent: agentWith(model, history, broker) }
}

/** Main's session log and journal in `dir`, wired as parley-core does: the log's batches wait for the journal's gate. */
async function onDisk(dir: string) {
  const broker = new EventBroker()
  const { journal } = MainJournal.open(join(dir, 'journal.jsonl'))
  const log = await SessionLog.open(join(dir, 'session-log'), { gate: (seq) => journal.gate(seq) })
  const detachLog = log.attach(broker)
  journal.attach(broker)
  return {
    broker,
    log,
    journal,
    async close() {
      await journal.close()
      detachLog()
      await log.close()
    }
  }
}

/**
 * Acks as the renderer does: what it heard in a tick is committed together, then acked once the log has it too
 * (ParleyService.ack).
 */
function renderer(disk: { log: SessionLog; journal: MainJournal }): (seq: number) => void {
  let heard = 0
  let scheduled = false
  return (seq) => {
    heard = Math.max(heard, seq)
    if (scheduled) return
    scheduled = true
    setImmediate(() => {
      scheduled = false
      const through = heard
      void disk.log.written().then(() => disk.journal.ack(through))
    })
  }
}

/**
 * `sessions` × `promptsPerSession` prompts, all accepted at once: all but one of each session's wait in its queue.
 * With `dir`, main's session log and journal are on disk as in the app: each RunComplete is counted when a subscriber
 * of the service would hear it (after the journal's gate), and acked once the log has it, as the renderer would.
 */
async function drain(sessions: number, promptsPerSession: number, dir?: string) {
  const disk = dir ? await onDisk(dir) : undefined
  const broker = disk?.broker ?? new EventBroker()
  let history: HistoryPort
  if (disk) {
    history = disk.log
  } else {
    const memory = new MemoryHistory()
    memory.attach(broker)
    history = memory
  }
  const agent = agentWith(new InstantModel(), history, broker, disk?.journal)
  const ids = Array.from({ length: sessions }, () => agent.createSession({ title: 'bench' }).id)
  const turns = sessions * promptsPerSession
  let completed = 0
  let resolveAll!: () => void
  const all = new Promise<void>((resolve) => (resolveAll = resolve))
  const gate = (seq: number) => disk?.journal.gate(seq)
  const ack = disk ? renderer(disk) : () => undefined
  broker.subscribe(
    { since: broker.lastSeq },
    gatedListener(gate, (event) => {
      ack(event.seq)
      if (event.type === 'run.complete' && ++completed === turns) resolveAll()
    })
  )
  heapAfterGc() // every drain starts from a collected heap, whatever part of the bench ran before it
  const started = performance.now()
  for (let p = 0; p < promptsPerSession; p++) for (const sessionId of ids) agent.enqueue({ sessionId, prompt: `prompt ${p}` })
  await all
  const seconds = (performance.now() - started) / 1000
  await agent.shutdown()
  await disk?.close()
  return { sessions, promptsPerSession, turns, seconds, turnsPerSecond: turns / seconds }
}

/**
 * Sessions of ten queued prompts, run one session at a time so nothing else interleaves: the time from the end of
 * one model stream to the start of the next in the same session is what the agent adds per hand-off (RunComplete,
 * drain, user message, history read, request).
 */
async function handoff(sessions: number, promptsPerSession: number): Promise<CoreReport['handoff']> {
  const { agent, model } = freshAgent()
  const gaps: number[] = []
  let lastEnd: number | undefined
  model.onStream = (phase) => {
    const now = performance.now()
    if (phase === 'start' && lastEnd !== undefined) gaps.push(now - lastEnd)
    if (phase === 'end') lastEnd = now
  }
  for (let s = 0; s < sessions; s++) {
    const sessionId = agent.createSession({ title: 'bench' }).id
    lastEnd = undefined
    for (let i = 0; i < promptsPerSession; i++) agent.enqueue({ sessionId, prompt: `prompt ${i}` })
    await agent.idle()
  }
  await agent.shutdown()
  gaps.sort((a, b) => a - b)
  const at = (q: number) => gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))] ?? 0
  return { handoffs: gaps.length, meanMs: gaps.reduce((s, g) => s + g, 0) / gaps.length, p50Ms: at(0.5), p99Ms: at(0.99) }
}

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('run the benchmark with node --expose-gc (npm run bench does)')
  for (let i = 0; i < 3; i++) gc()
  return process.memoryUsage().heapUsed
}

/**
 * What an idle session costs the agent: its directory entry and nothing else. The broker keeps one event and no
 * history store is attached, so only the agent's own memory is counted. Measured again after every session has run
 * turns and gone idle, to show that nothing per session is left behind.
 */
async function idleSessions(count: number): Promise<CoreReport['idleSession']> {
  const broker = new EventBroker({ retain: 1 })
  const model = new InstantModel()
  const history: HistoryPort = {
    read: async () => [],
    leaf: () => null,
    place: () => undefined,
    onCurrentBranch: () => false,
    newestLeafUnder: (_s, id) => id,
    removal: (_s, id) => ({ messageIds: [id], leafId: null })
  }
  const agent = agentWith(model, history, broker)
  const before = heapAfterGc()
  const ids = Array.from({ length: count }, () => agent.createSession({ title: 'bench' }).id)
  const idle = heapAfterGc()
  for (let p = 0; p < 3; p++) for (const sessionId of ids) agent.enqueue({ sessionId, prompt: `p${p}` })
  await agent.idle()
  const afterTurns = heapAfterGc()
  await agent.shutdown()
  return {
    sessions: ids.length,
    bytesPerSession: (idle - before) / count,
    // Ended run ids are remembered (bounded, 10,000) to refuse reuse: that is the agent's, not the sessions'.
    afterTurnsBytesPerSession: (afterTurns - before) / count
  }
}

/** The drain again, with the session log and journal the app really uses: what durability costs per turn. */
async function journaledDrain(sessions: number, promptsPerSession: number): Promise<CoreReport['journaled']> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-journal-'))
  try {
    const result = await drain(sessions, promptsPerSession, dir)
    return { ...result, journalBytes: statSync(join(dir, 'journal.jsonl')).size }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Main's heap, idle, before and after `sessions` × `turnsPerSession` turns (two messages each) with the session log and
 * journal on disk, acked as the renderer would: what history costs main in memory once it is written (nothing of it
 * should stay but bounded caches).
 */
async function heapAfterMessages(sessions: number, turnsPerSession: number): Promise<CoreReport['heap']> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-heap-'))
  try {
    const disk = await onDisk(dir)
    const agent = agentWith(new InstantModel(), disk.log, disk.broker, disk.journal)
    const start = heapAfterGc()
    let peak = start
    const ids = Array.from({ length: sessions }, () => agent.createSession({ title: 'bench' }).id)
    const ack = renderer(disk)
    disk.broker.subscribe({ since: disk.broker.lastSeq }, gatedListener((seq) => disk.journal.gate(seq), (event) => ack(event.seq)))
    // Ten prompts per session at a time, so the queues (not history) stay small.
    for (let done = 0; done < turnsPerSession; done += 10) {
      for (let p = 0; p < 10; p++) for (const sessionId of ids) agent.enqueue({ sessionId, prompt: `prompt ${done + p} ${'x'.repeat(200)}` })
      await agent.idle()
      peak = Math.max(peak, process.memoryUsage().heapUsed)
    }
    await disk.log.settled()
    await disk.journal.durable()
    await new Promise((resolve) => setTimeout(resolve, 50))
    const end = heapAfterGc()
    await agent.shutdown()
    await disk.close()
    const mb = (bytes: number) => bytes / 2 ** 20
    return { sessions, messages: sessions * turnsPerSession * 2, startMb: mb(start), endMb: mb(end), growthMb: mb(end - start), peakMb: mb(peak) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Chats of `chatMessages` 400-character messages each, in one core with main's session log and journal on disk (the
 * bench's 8,192-token model), then `turns` prompts in each, taking turns between the chats so that both meet the same
 * load on the machine: the time from enqueue to the moment the provider is asked, and how many messages the log read.
 */
async function turnStart(chatMessages: readonly number[], turns: number): Promise<TurnStartReport[]> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-log-'))
  const disk = await onDisk(dir)
  const { broker, log } = disk
  const model = new InstantModel()
  const agent = agentWith(model, log, broker, disk.journal)
  try {
    const text = 'lorem ipsum dolor sit amet, '.repeat(14).slice(0, 400)
    const chats = []
    for (const count of chatMessages) {
      const sessionId = agent.createSession({ title: 'bench' }).id
      for (let i = 0; i < count; i++) {
        broker.publish({
          type: 'message.created',
          message: { id: `seed-${sessionId}-${i}`, sessionId, runId: `seed-${sessionId}-${i >> 1}`, role: i % 2 ? 'assistant' : 'user', parts: [{ type: 'text', text }], status: 'finished', createdAt: i }
        })
        if (i % 1000 === 999) await log.settled()
      }
      chats.push({ sessionId, count, times: [] as number[], read: 0, readFirst: 0 })
    }
    await log.settled()
    await disk.journal.durable()
    let asked = 0
    model.onStream = (phase) => {
      if (phase === 'start') asked = performance.now()
    }
    for (let t = 0; t < turns; t++) {
      for (const chat of chats) {
        const readBefore = log.messagesRead
        const started = performance.now()
        agent.enqueue({ sessionId: chat.sessionId, prompt: `prompt ${t}` })
        await agent.idle()
        chat.times.push(asked - started)
        chat.read += log.messagesRead - readBefore
        if (t === 0) chat.readFirst = log.messagesRead - readBefore
      }
    }
    await agent.shutdown()
    return chats.map(({ count, times, read, readFirst }) => {
      times.sort((a, b) => a - b)
      const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0
      return {
        chatMessages: count,
        turns,
        meanMs: times.reduce((sum, v) => sum + v, 0) / turns,
        p50Ms: at(0.5),
        p99Ms: at(0.99),
        messagesReadPerTurn: read / turns,
        messagesReadFirstTurn: readFirst
      }
    })
  } finally {
    await disk.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function runTurnStartBench(): Promise<TurnStartReport[]> {
  await turnStart([100, 100], 20) // warm-up: JIT, not reported
  return turnStart([10, 10_000], 200)
}

export async function runCoreBench(): Promise<CoreReport> {
  await drain(100, 10) // warm-up: JIT, not reported
  return {
    drain: await drain(1000, 10),
    handoff: await handoff(1000, 10),
    handoffLongSession: await handoff(1, 1000),
    idleSession: await idleSessions(10_000),
    journaled: await journaledDrain(100, 10).then(() => journaledDrain(1000, 10)), // the first warms up the disk path's JIT
    heap: await heapAfterMessages(1000, 50),
    turnStart: await runTurnStartBench()
  }
}

import { rmSync, statSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import type { RunComplete } from '../../../shared'
import { completesIn, cutAt, journalLines, journalPath, listen, newDataDir, seededRandom, startCore, untilComplete, type Heard } from './test-fixtures/lifetimes'

/** How many crashes to try: PARLEY_CRASH_SEQUENCES=5000 for a long run. PARLEY_CRASH_SEED repeats one. */
const sequences = Number(process.env['PARLEY_CRASH_SEQUENCES'] ?? 200)
const seed = Number(process.env['PARLEY_CRASH_SEED'] ?? Math.floor(Math.random() * 2 ** 31))

/** A first lifetime: three chats, four prompts each, one queued prompt removed and one answer stopped; then a regenerate. */
async function firstLifetime() {
  const dataDir = newDataDir()
  const core = await startCore(dataDir)
  const heard = listen(core, dataDir)
  const runIds: string[] = []
  for (const name of ['a', 'b', 'c']) {
    const session = core.agent.createSession({ title: name })
    for (let i = 1; i <= 4; i++) {
      const runId = `${name}${i}`
      core.agent.enqueue({ sessionId: session.id, runId, prompt: `${name} prompt ${i}` })
      runIds.push(runId)
    }
  }
  core.agent.cancelRun('b3')
  await new Promise((resolve) => setTimeout(resolve, 3))
  core.agent.cancelRun('c1')
  await untilComplete(heard, runIds)
  await core.agent.idle()
  // A regenerate (H3) of a's first answer: a run with no prompt of its own, its answer beside the old one.
  const firstPrompt = heard.find(({ event }) => event.type === 'message.created' && event.message.role === 'user' && event.message.runId === 'a1')
  if (firstPrompt?.event.type !== 'message.created') throw new Error('a1 has no prompt')
  core.agent.enqueue({ sessionId: firstPrompt.event.message.sessionId, runId: 'a5', prompt: 'a prompt 1', retryOf: firstPrompt.event.message.id })
  await untilComplete(heard, ['a5'])
  await core.agent.idle()
  await core.shutdown()
  return { dataDir, heard }
}

/**
 * The runs whose prompt was accepted by the time of the cut: their `accepted` record is whole in the journal. A cut
 * just before a line's newline leaves its record whole (the reader keeps a last line that parses), so such a run was
 * accepted too: it must get its one RunComplete.
 */
function acceptedBefore(dataDir: string, bytes: number): Map<string, { sessionId: string; order: number }> {
  const accepted = new Map<string, { sessionId: string; order: number }>()
  for (const { record, end } of journalLines(dataDir)) {
    if (end - 1 > bytes || record['t'] !== 'accepted') continue
    const run = record['run'] as { runId: string; sessionId: string }
    if (!accepted.has(run.runId)) accepted.set(run.runId, { sessionId: run.sessionId, order: accepted.size })
  }
  return accepted
}

describe('the whole core, killed at random moments (B5, G1 to G4)', () => {
  it(`G4: exactly one RunComplete per accepted run across lifetimes, FIFO per chat, nothing folded or lost (${sequences} crashes, seed ${seed})`, async () => {
    // Half the cuts tear the last line, and the core says so each time; that is expected here.
    vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const first = await firstLifetime()
    const size = statSync(journalPath(first.dataDir)).size
    const boundaries = journalLines(first.dataDir).map((line) => line.end)
    const next = seededRandom(seed)
    const failures: string[] = []

    for (let n = 0; n < sequences && failures.length === 0; n++) {
      // Half the crashes land just after a whole line, half anywhere (a torn last line).
      const bytes = n % 2 === 0 ? (boundaries[Math.floor(next() * boundaries.length)] ?? size) : Math.floor(next() * (size + 1))
      const before = first.heard.filter((h) => h.journalBytes <= bytes)
      const since = before.reduce((max, h) => Math.max(max, h.event.seq), 0)
      const accepted = acceptedBefore(first.dataDir, bytes)
      const cut = cutAt(first.dataDir, bytes)
      const core = await startCore(cut)
      const after = listen(core, cut, since)
      try {
        const heardBefore = new Set(completesIn(before).map((c) => c.runId))
        await untilComplete(after, [...accepted.keys()].filter((runId) => !heardBefore.has(runId)), 5000)
        await core.agent.idle()
        const problems = check(accepted, before, after)
        if (problems.length > 0) failures.push(`cut at byte ${bytes} of ${size} (seed ${seed}): ${problems.join('; ')}`)
      } catch (error) {
        failures.push(`cut at byte ${bytes} of ${size} (seed ${seed}): ${String(error)}`)
      } finally {
        await core.shutdown()
        rmSync(cut, { recursive: true, force: true })
      }
    }
    expect(failures).toEqual([])
  }, Math.max(120_000, sequences * 300))
})

/** What a client heard before the crash and after the restart, checked against B5 and C2. */
function check(accepted: Map<string, { sessionId: string; order: number }>, before: readonly Heard[], after: readonly Heard[]): string[] {
  const problems: string[] = []
  const all = [...before, ...after]
  const completes = completesIn(all)
  const byRun = new Map<string, RunComplete[]>()
  for (const complete of completes) byRun.set(complete.runId, [...(byRun.get(complete.runId) ?? []), complete])
  for (const runId of accepted.keys()) {
    const count = byRun.get(runId)?.length ?? 0
    if (count !== 1) problems.push(`${runId} has ${count} RunCompletes`)
  }
  for (const runId of byRun.keys()) if (!accepted.has(runId)) problems.push(`${runId} completed but was never accepted`)
  // G2: a run the crash cut off has its answer, finished interrupted; a regenerate's too, with no prompt of its own.
  for (const [runId, [complete]] of byRun) if (complete?.error === 'interrupted' && !complete.messageId) problems.push(`${runId} was interrupted with no answer`)

  // Nothing folded: a run has at most one assistant message, and one user message.
  for (const role of ['assistant', 'user'] as const) {
    const made = new Map<string, number>()
    for (const { event } of all) {
      if (event.type === 'message.created' && event.message.role === role) made.set(event.message.runId, (made.get(event.message.runId) ?? 0) + 1)
    }
    for (const [runId, count] of made) if (count > 1) problems.push(`${runId} has ${count} ${role} messages`)
  }

  // Nothing lost: an answer the client saw finish is the text its RunComplete carries.
  for (const { event } of before) {
    if (event.type !== 'message.finished' || event.message.role !== 'assistant') continue
    const text = event.message.parts.filter((p) => p.type === 'text').map((p) => p.text).join('')
    const complete = byRun.get(event.message.runId)?.[0]
    if (complete && complete.text !== text) problems.push(`${event.message.runId} finished "${text}" but completed "${complete.text}"`)
  }

  // FIFO per chat: after the restart, runs start in the order they were accepted.
  const started = new Map<string, number[]>()
  for (const { event } of after) {
    if (event.type !== 'run.started') continue
    const order = accepted.get(event.runId)?.order
    if (order !== undefined) started.set(event.sessionId, [...(started.get(event.sessionId) ?? []), order])
  }
  for (const [sessionId, orders] of started) {
    if (orders.some((order, i) => i > 0 && order < (orders[i - 1] ?? 0))) problems.push(`chat ${sessionId} ran out of order`)
  }
  return problems
}

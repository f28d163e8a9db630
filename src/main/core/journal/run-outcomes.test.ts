import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ParleyCore } from '../parley-core'
import { completesIn, cutAt, journalLines, listen, newDataDir, startCore, untilComplete, type Heard } from './test-fixtures/lifetimes'

const cores: ParleyCore[] = []
afterEach(async () => {
  for (const core of cores.splice(0)) await core.shutdown()
})

async function start(dataDir: string): Promise<ParleyCore> {
  const core = await startCore(dataDir)
  cores.push(core)
  return core
}

/** A first lifetime: one session, `r1` answered (or stopped), `r2` queued behind it and answered. */
async function firstLifetime(stop = false) {
  const dataDir = newDataDir()
  const core = await start(dataDir)
  const heard = listen(core, dataDir)
  const session = core.agent.createSession({ title: 'crash' })
  core.agent.enqueue({ sessionId: session.id, runId: 'r1', prompt: 'one' })
  core.agent.enqueue({ sessionId: session.id, runId: 'r2', prompt: 'two' })
  if (stop) {
    await new Promise((resolve) => setTimeout(resolve, 2))
    core.agent.cancelRun('r1')
  }
  await untilComplete(heard, ['r1', 'r2'])
  await core.agent.idle()
  return { dataDir, heard, sessionId: session.id }
}

/** The offset just past the first journal line that matches. */
function after(dataDir: string, match: (record: Record<string, unknown>) => boolean): number {
  const line = journalLines(dataDir).find(({ record }) => match(record))
  if (!line) throw new Error('no such journal line')
  return line.end
}

const isFinishedOf = (runId: string) => (record: Record<string, unknown>) => {
  const event = record['event'] as { type?: string; message?: { runId?: string; role?: string } } | undefined
  return record['t'] === 'event' && event?.type === 'message.finished' && event.message?.role === 'assistant' && event.message.runId === runId
}

/** What a second lifetime on the cut journal publishes, to a client that resumes after the last seq it had heard. */
async function restartAt(dataDir: string, bytes: number, heardBefore: readonly Heard[]) {
  const since = heardBefore.filter((h) => h.journalBytes <= bytes).reduce((max, h) => Math.max(max, h.event.seq), 0)
  const cut = cutAt(dataDir, bytes)
  const core = await start(cut)
  const heard = listen(core, cut, since)
  await untilComplete(heard, ['r1', 'r2'])
  await core.agent.idle()
  return { core, heard, since }
}

function assistantIdsFor(heard: readonly Heard[], runId: string): string[] {
  return heard.flatMap(({ event }) =>
    event.type === 'message.created' && event.message.role === 'assistant' && event.message.runId === runId ? [event.message.id] : []
  )
}

describe('one RunComplete per run across a crash (G3, G4)', () => {
  it('G3: killed between message.finished and the end of the run: the finished answer keeps its outcome, and no second message', async () => {
    const first = await firstLifetime()
    const bytes = after(first.dataDir, isFinishedOf('r1'))
    const { core, heard } = await restartAt(first.dataDir, bytes, first.heard)
    expect(core.recovery.interrupted).toEqual([])
    const r1 = completesIn(heard).filter((c) => c.runId === 'r1')
    expect(r1).toEqual([{ runId: 'r1', sessionId: first.sessionId, messageId: expect.any(String), text: 'answer to one', cancelled: false }])
    // The client may hear the answer again (the outbox replays what it had not heard when the crash came), never a
    // second answer.
    expect(assistantIdsFor(heard, 'r1').filter((id) => !assistantIdsFor(first.heard, 'r1').includes(id))).toEqual([])
    // And the queued prompt behind it still runs, once.
    expect(completesIn(heard).filter((c) => c.runId === 'r2')).toHaveLength(1)
  })

  it('G3: a stopped answer cut off the same way comes back cancelled, not interrupted', async () => {
    const first = await firstLifetime(true)
    const bytes = after(first.dataDir, isFinishedOf('r1'))
    const { heard } = await restartAt(first.dataDir, bytes, first.heard)
    const r1 = completesIn(heard).filter((c) => c.runId === 'r1')
    expect(r1).toHaveLength(1)
    expect(r1[0]).toMatchObject({ cancelled: true })
    expect(r1[0]?.error).toBeUndefined()
  })

  it('G4: killed after the end was written but before RunComplete went out: it goes out after the restart, once', async () => {
    const first = await firstLifetime()
    const bytes = after(first.dataDir, (record) => record['t'] === 'ended' && record['runId'] === 'r1')
    const { heard } = await restartAt(first.dataDir, bytes, first.heard)
    const r1 = completesIn(heard).filter((c) => c.runId === 'r1')
    expect(r1).toEqual([expect.objectContaining({ runId: 'r1', text: 'answer to one', cancelled: false })])
    expect(assistantIdsFor(heard, 'r1').filter((id) => !assistantIdsFor(first.heard, 'r1').includes(id))).toEqual([])
  })

  it('G4: a RunComplete that went out before the crash is replayed, with its seq, only to a client that had not heard it', async () => {
    const first = await firstLifetime()
    const published = journalLines(first.dataDir).find(({ record }) => record['t'] === 'published' && record['runId'] === 'r1')
    if (!published) throw new Error('no published record for r1')
    const seq = published.record['seq'] as number
    const cut = cutAt(first.dataDir, published.end)
    const core = await start(cut)
    const missed = listen(core, cut, seq - 1)
    const heardIt = listen(core, cut, seq)
    await untilComplete(missed, ['r1', 'r2'])
    await core.agent.idle()
    expect(missed.filter(({ event }) => event.type === 'run.complete' && event.complete.runId === 'r1').map((h) => h.event.seq)).toEqual([seq])
    expect(completesIn(heardIt).filter((c) => c.runId === 'r1')).toEqual([])
    expect(completesIn(heardIt).filter((c) => c.runId === 'r2')).toHaveLength(1)
  })

  it('G4: outcomes survive a compaction of the journal', async () => {
    const first = await firstLifetime()
    // One core per data folder: the first lifetime ends before the second starts on the same folder.
    for (const core of cores.splice(0)) await core.shutdown()
    const core = await start(first.dataDir)
    core.journal.compact()
    expect(core.journal.outcome('r1')).toMatchObject({ text: 'answer to one' })
    await core.shutdown()
    cores.splice(cores.indexOf(core), 1)
    const again = await start(first.dataDir)
    expect(again.journal.outcome('r1')).toMatchObject({ text: 'answer to one' })
    expect(again.recovery.unpublished).toEqual([])
    expect(again.recovery.published.map((e) => (e.type === 'run.complete' ? e.complete.runId : ''))).toEqual(['r1', 'r2'])
  })
})

describe('one RunComplete per run across a real SIGKILL at each end point (G3, G4)', () => {
  for (const point of ['after-finished', 'after-ended'] as const) {
    it(`G4: killed ${point.replace('-', ' ')}: after the restart r1 has one RunComplete with its answer, and one answer`, async () => {
      const dataDir = newDataDir()
      const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'test-fixtures', 'killed-core.ts'), dataDir, point], {
        stdio: ['ignore', 'inherit', 'inherit']
      })
      const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)))
      expect(signal).toBe('SIGKILL')

      const core = await start(dataDir)
      const heard = listen(core, dataDir, 0)
      await untilComplete(heard, ['r1', 'r2'])
      await core.agent.idle()
      expect(completesIn(heard).filter((c) => c.runId === 'r1')).toEqual([
        expect.objectContaining({ text: 'answer to one', cancelled: false })
      ])
      expect(completesIn(heard).filter((c) => c.runId === 'r1')[0]?.error).toBeUndefined()
      const answers = new Set(
        heard.flatMap(({ event }) =>
          event.type === 'message.created' && event.message.role === 'assistant' && event.message.runId === 'r1' ? [event.message.id] : []
        )
      )
      expect(answers.size).toBe(1)
      expect(completesIn(heard).filter((c) => c.runId === 'r2')).toHaveLength(1)
    })
  }
})

describe('a regenerate cut off before its first token (G2, H3)', () => {
  it('G2, H3, G4: after the restart it has its answer, empty and interrupted, beside the old one under the same prompt, and one RunComplete', async () => {
    const dataDir = newDataDir()
    const core = await start(dataDir)
    const heard = listen(core, dataDir)
    const session = core.agent.createSession({ title: 'crash' })
    core.agent.enqueue({ sessionId: session.id, runId: 'r1', prompt: 'one' })
    await untilComplete(heard, ['r1'])
    await core.agent.idle()
    const prompt = heard.find(({ event }) => event.type === 'message.created' && event.message.role === 'user')
    const promptId = prompt?.event.type === 'message.created' ? prompt.event.message.id : ''
    core.agent.enqueue({ sessionId: session.id, runId: 'r2', prompt: 'one', retryOf: promptId })
    await untilComplete(heard, ['r2'])
    await core.agent.idle()
    // Main killed once r2 had started, before anything of its answer reached the journal.
    const bytes = after(dataDir, (record) => record['t'] === 'started' && record['runId'] === 'r2')
    const since = heard.filter((h) => h.journalBytes <= bytes).reduce((max, h) => Math.max(max, h.event.seq), 0)
    const cut = cutAt(dataDir, bytes)
    expect(assistantIdsFor(heard.filter((h) => h.journalBytes <= bytes), 'r2')).toEqual([])

    const again = await start(cut)
    const after2 = listen(again, cut, since)
    await untilComplete(after2, ['r2'])
    await again.agent.idle()
    const completes = completesIn(after2).filter((c) => c.runId === 'r2')
    expect(completes).toEqual([expect.objectContaining({ error: 'interrupted', cancelled: false, text: '' })])
    const answers = after2.flatMap(({ event }) => (event.type === 'message.created' && event.message.runId === 'r2' ? [event.message] : []))
    expect(answers.map((m) => [m.role, m.parentId])).toEqual([['assistant', promptId]])
    expect(completes[0]?.messageId).toBe(answers[0]?.id)
    const finished = after2.flatMap(({ event }) => (event.type === 'message.finished' && event.message.runId === 'r2' ? [event.message] : []))
    expect(finished.map((m) => m.finishReason)).toEqual(['interrupted'])
    // No second copy of the prompt (H3): the old answer and the new one are siblings under it, in main's log (which
    // sends a chat's newest message first).
    const logged = (await again.service.historySnapshot({ cursor: null })).messages.map(({ message }) => message)
    expect(logged.filter((m) => m.role === 'user').map((m) => m.id)).toEqual([promptId])
    expect(logged.filter((m) => m.parentId === promptId).map((m) => [m.runId, m.finishReason])).toEqual([
      ['r2', 'interrupted'],
      ['r1', 'end_turn']
    ])
  })
})

describe('a prompt whose start reached the journal but not its message (a torn write)', () => {
  it('G1, G4: it is still a queued prompt: after the restart it runs from the start, with its prompt and one answer, and one RunComplete', async () => {
    const first = await firstLifetime()
    const lines = journalLines(first.dataDir)
    const started = lines.find(({ record }) => record['t'] === 'started' && record['runId'] === 'r2')
    if (!started) throw new Error('r2 never started')
    // The cut keeps r2's start and nothing after it: its prompt's message was in the same write, torn off.
    expect(lines.find(({ end }) => end > started.end)?.record['t']).toBe('event')
    const { core, heard } = await restartAt(first.dataDir, started.end, first.heard)
    expect(core.recovery.queued.map((run) => run.runId)).toEqual(['r2'])
    expect(core.recovery.interrupted).toEqual([])
    const completes = completesIn(heard).filter((c) => c.runId === 'r2')
    expect(completes).toEqual([expect.objectContaining({ text: 'answer to two', cancelled: false })])
    expect(completes[0]?.error).toBeUndefined()
    const prompts = heard.flatMap(({ event }) => (event.type === 'message.created' && event.message.runId === 'r2' ? [event.message.role] : []))
    expect(prompts).toEqual(['user', 'assistant'])
  })
})

import { appendFileSync, readFileSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { journalPath, listen, newDataDir, startCore, untilComplete } from '../journal/test-fixtures/lifetimes'
import type { ParleyCore } from '../parley-core'

let core: ParleyCore | undefined
afterEach(async () => {
  vi.restoreAllMocks()
  await core?.shutdown()
  core = undefined
})

describe('ack (F3) and the session log', () => {
  it('F3: an acknowledged event leaves the journal only once the session log has committed it', async () => {
    const dataDir = newDataDir()
    core = await startCore(dataDir)
    const heard = listen(core, dataDir)
    const session = core.agent.createSession({ title: 'ack' })
    core.agent.enqueue({ sessionId: session.id, runId: 'r1', prompt: 'one' })
    await untilComplete(heard, ['r1'])
    await core.agent.idle()
    expect(core.journal.outboxSize).toBeGreaterThan(0)

    // The log's writes hang: the window's ack must not empty the outbox yet.
    let commit!: () => void
    const committed = new Promise<void>((resolve) => (commit = resolve))
    const settled = vi.spyOn(core.sessionLog, 'written').mockReturnValue(committed)
    const acking = core.service.ack(core.broker.lastSeq)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(core.journal.outboxSize).toBeGreaterThan(0)
    commit()
    await acking
    expect(settled).toHaveBeenCalled()
    expect(core.journal.outboxSize).toBe(0)
  })
})

describe('an ack from beyond what main published (issue 13, finding 1)', () => {
  it('is refused with SeqAhead and writes nothing: the outbox and the next seqs are as before', async () => {
    const dataDir = newDataDir()
    core = await startCore(dataDir)
    const heard = listen(core, dataDir)
    const session = core.agent.createSession({ title: 'ack ahead' })
    core.agent.enqueue({ sessionId: session.id, runId: 'r1', prompt: 'one' })
    await untilComplete(heard, ['r1'])
    await core.agent.idle()
    const outbox = core.journal.outboxSize
    const last = core.broker.lastSeq

    await expect(core.service.ack(Number.MAX_SAFE_INTEGER)).rejects.toMatchObject({ code: 'SeqAhead' })
    await expect(core.service.ack(last + 1)).rejects.toMatchObject({ code: 'SeqAhead' })
    expect(core.journal.outboxSize).toBe(outbox)
    expect(core.journal.ackedSeq).toBeLessThanOrEqual(last)
    expect(readFileSync(journalPath(dataDir), 'utf8')).not.toContain(String(Number.MAX_SAFE_INTEGER))
    await core.service.ack(last)
    expect(core.journal.outboxSize).toBe(0)
  })

  it('a journal that already holds one (damage, or an older Parley) restarts with seqs that go on counting', async () => {
    const dataDir = newDataDir()
    core = await startCore(dataDir)
    const heard = listen(core, dataDir)
    const session = core.agent.createSession({ title: 'damaged ack' })
    core.agent.enqueue({ sessionId: session.id, runId: 'r1', prompt: 'one' })
    await untilComplete(heard, ['r1'])
    await core.agent.idle()
    await core.shutdown()
    core = undefined
    appendFileSync(journalPath(dataDir), `${JSON.stringify({ t: 'ack', seq: Number.MAX_SAFE_INTEGER })}\n`)

    core = await startCore(dataDir)
    const first = core.broker.lastSeq
    expect(first).toBeLessThan(1_000_000)
    // No window acknowledged r1's events: they are still there to replay, not dropped by the damaged ack.
    expect(core.journal.ackedSeq).toBeLessThanOrEqual(first)
    expect(core.journal.outboxSize).toBeGreaterThan(0)
    const after = listen(core, dataDir, 0)
    core.agent.enqueue({ sessionId: session.id, runId: 'r2', prompt: 'two' })
    await untilComplete(after, ['r2'])
    const seqs = after.map((h) => h.event.seq).filter((seq) => seq > first)
    expect(seqs.length).toBeGreaterThan(1)
    expect(new Set(seqs).size).toBe(seqs.length)
    expect(Math.max(...seqs)).toBeLessThan(Number.MAX_SAFE_INTEGER)
    // The window's schema takes the status main reports (it broke at 2^53).
    const status = await core.service.status()
    expect(status.lastSeq).toBeLessThan(1_000_000)
  })
})

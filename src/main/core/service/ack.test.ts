import { afterEach, describe, expect, it, vi } from 'vitest'
import { listen, newDataDir, startCore, untilComplete } from '../journal/test-fixtures/lifetimes'
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

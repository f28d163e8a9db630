import { afterEach, describe, expect, it } from 'vitest'
import type { RunComplete } from '../../../shared'
import type { ParleyCore } from '../parley-core'
import { fsDisk, type JournalDisk } from './journal-file'
import { EndlessModel, newDataDir, startCore } from './test-fixtures/lifetimes'

// A cancel (D1 to D3) answered is one a crash keeps (G1, G4): it answers once the journal holds what it did. Answered
// before, main killed right after took it back: removed prompts ran after the restart, a stopped answer came back
// `interrupted` (found with real SIGKILLs of browser mode's main; killed-at-random.test.ts kills the moment one answers).

/** A journal disk whose fsyncs wait while `held`: nothing recorded meanwhile is durable. */
function heldDisk(): { disk: JournalDisk; hold(): void; release(): void } {
  let held = false
  const waiting: (() => void)[] = []
  return {
    disk: {
      write: (fd, text) => fsDisk.write(fd, text),
      fsync: async (fd) => {
        if (held) await new Promise<void>((resolve) => waiting.push(resolve))
        return fsDisk.fsync(fd)
      }
    },
    hold: () => void (held = true),
    release: () => {
      held = false
      for (const go of waiting.splice(0)) go()
    }
  }
}

let core: ParleyCore | undefined
let disk: ReturnType<typeof heldDisk>
afterEach(async () => {
  disk.release()
  await core?.shutdown()
  core = undefined
})

async function started(): Promise<{ core: ParleyCore; sessionId: string; completes: RunComplete[] }> {
  disk = heldDisk()
  core = await startCore(newDataDir(), { disk: disk.disk }, { model: new EndlessModel() })
  const session = await core.service.createSession({ title: 'stopped' })
  const completes: RunComplete[] = []
  core.broker.subscribe({ since: 0 }, (event) => {
    if (event.type === 'run.complete') completes.push(event.complete)
  })
  await core.service.enqueue({ sessionId: session.id, runId: 'r1', prompt: 'one' })
  await core.service.enqueue({ sessionId: session.id, runId: 'r2', prompt: 'two' })
  await expect.poll(() => core?.agent.isSessionBusy(session.id)).toBe(true)
  return { core, sessionId: session.id, completes }
}

/** Whether `answer` settles within `ms`. */
async function answersWithin(answer: Promise<unknown>, ms: number): Promise<boolean> {
  let done = false
  void answer.then(() => (done = true), () => (done = true))
  await new Promise((resolve) => setTimeout(resolve, ms))
  return done
}

describe('a cancel answers once the journal holds it (D1 to D3, G1, G4)', () => {
  it('G1, D2: removing a queued prompt answers only once its removal is durable', async () => {
    const { core, completes } = await started()
    disk.hold()
    const answer = core.service.cancelRun('r2')
    await expect.poll(() => completes.map((c) => c.runId)).toEqual(['r2'])
    expect(await answersWithin(answer, 50)).toBe(false)
    disk.release()
    expect(await answer).toBe(true)
  })

  it('G4, D2: stopping the running answer answers once its end, finished canceled, is durable', async () => {
    const { core, completes } = await started()
    disk.hold()
    const answer = core.service.cancelRun('r1')
    expect(await answersWithin(answer, 50)).toBe(false)
    disk.release()
    expect(await answer).toBe(true)
    // Answered after the run's end: its RunComplete is out, cancelled with its partial text.
    expect(completes.find((c) => c.runId === 'r1')).toMatchObject({ cancelled: true, text: 'partial' })
  })

  it('G1, D1: cancel(session) answers once the stopped answer and the cleared queue are durable', async () => {
    const { core, sessionId, completes } = await started()
    disk.hold()
    const answer = core.service.cancel(sessionId)
    expect(await answersWithin(answer, 50)).toBe(false)
    disk.release()
    await answer
    expect(completes.map((c) => [c.runId, c.cancelled]).sort()).toEqual([['r1', true], ['r2', true]])
  })

  it('G1, D3: clearQueue answers once the removals are durable', async () => {
    const { core, sessionId } = await started()
    disk.hold()
    const answer = core.service.clearQueue(sessionId)
    expect(await answersWithin(answer, 50)).toBe(false)
    disk.release()
    expect(await answer).toBe(1)
  })

  it('D2: an unknown run answers false at once, with nothing to wait for', async () => {
    const { core } = await started()
    expect(await core.service.cancelRun('nobody')).toBe(false)
  })
})

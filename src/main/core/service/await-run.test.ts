import { afterEach, describe, expect, it } from 'vitest'
import type { RunComplete } from '../../../shared'
import { newDataDir, startCore } from '../journal/test-fixtures/lifetimes'
import type { ParleyCore } from '../parley-core'
import { promptNeverAnswered, startEchoCore, type EchoCore } from './echo-core'

const cores: ParleyCore[] = []
let echo: EchoCore | undefined
afterEach(async () => {
  for (const core of cores.splice(0)) await core.shutdown()
  await echo?.close()
  echo = undefined
})

async function start(dataDir: string): Promise<ParleyCore> {
  const core = await startCore(dataDir)
  cores.push(core)
  return core
}

async function stop(core: ParleyCore): Promise<void> {
  await core.shutdown()
  cores.splice(cores.indexOf(core), 1)
}

/** Every RunComplete the core publishes from now on. */
function completes(core: ParleyCore): RunComplete[] {
  const heard: RunComplete[] = []
  core.broker.subscribe({ since: core.broker.lastSeq }, (event) => {
    if (event.type === 'run.complete') heard.push(event.complete)
  })
  return heard
}

describe('awaitRun (G4)', () => {
  it('G4: answers an active or queued run when it ends, an ended one at once, and refuses a run main never accepted', async () => {
    echo = await startEchoCore()
    const { service, agent } = echo.core
    const heard = completes(echo.core)
    const session = agent.createSession({})
    await service.enqueue({ sessionId: session.id, runId: 'held', prompt: promptNeverAnswered })
    await service.enqueue({ sessionId: session.id, runId: 'behind', prompt: 'two' })
    const held = service.awaitRun('held')
    const behind = service.awaitRun('behind')
    agent.cancelRun('held')
    expect(await held).toMatchObject({ runId: 'held', cancelled: true })
    expect(await behind).toMatchObject({ runId: 'behind', text: 'echo: two', cancelled: false })
    expect(heard).toEqual([await held, await behind])
    await expect(service.awaitRun('behind')).resolves.toEqual(await behind)
    await expect(service.awaitRun('never-sent')).rejects.toMatchObject({ code: 'RunUnknown' })
    expect(heard).toHaveLength(2)
  })

  it('G4: after a restart, a run that ended before it still answers with its outcome, and its runId is still refused (A7)', async () => {
    const dataDir = newDataDir()
    const first = await start(dataDir)
    const session = first.agent.createSession({})
    const before = await first.service.run({ sessionId: session.id, runId: 'r1', prompt: 'one' })
    expect(before).toMatchObject({ runId: 'r1', text: 'answer to one' })
    await stop(first)

    const second = await start(dataDir)
    await expect(second.service.awaitRun('r1')).resolves.toEqual(before)
    const again = { sessionId: session.id, runId: 'r1', prompt: 'one again' }
    await expect(second.service.enqueue(again)).rejects.toMatchObject({ code: 'DuplicateRunId' })
    await expect(second.service.run(again)).rejects.toMatchObject({ code: 'DuplicateRunId' })
    expect(second.agent.isSessionBusy(session.id)).toBe(false)
  })

  it('G4: a deleted chat\'s run still answers, with its outcome, not its words (the journal keeps it so, and the log)', async () => {
    const dataDir = newDataDir()
    const first = await start(dataDir)
    const session = first.agent.createSession({})
    const before = await first.service.run({ sessionId: session.id, runId: 'r1', prompt: 'one' })
    first.agent.deleteSession(session.id)
    // Kept without its words: until the session log has it too, the journal is all a crash leaves (delete-purge.test.ts).
    expect(first.journal.outcome('r1')).toEqual({ ...before, text: '' })
    await expect(first.service.awaitRun('r1')).resolves.toEqual({ ...before, text: '' })
    await stop(first)

    const second = await start(dataDir)
    await expect(second.service.awaitRun('r1')).resolves.toEqual({ ...before, text: '' })
  })
})

import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ParleyCore } from '../parley-core'
import { cutAt, EndlessModel, journalPath, listen, newDataDir, startCore, untilComplete } from './test-fixtures/lifetimes'

let core: ParleyCore | undefined
afterEach(async () => {
  await core?.shutdown()
  core = undefined
})

/** Every file main keeps in its data folder (with `deep`, its session log's store too), as text. */
function everything(dataDir: string, deep = false): string {
  return readdirSync(dataDir)
    .map((name) => join(dataDir, name))
    .map((path) => (statSync(path).isFile() ? readFileSync(path, 'latin1') : deep ? everything(path, deep) : ''))
    .join('\n')
}

describe("deleting a chat deletes its words from main's files (the journal and the session log)", () => {
  it('an answered turn, the answer being written and a queued prompt: none of their text is left, and other chats keep theirs', async () => {
    const dataDir = newDataDir()
    core = await startCore(dataDir)
    const heard = listen(core, dataDir)
    const kept = core.agent.createSession({ title: 'kept' })
    const doomed = core.agent.createSession({ title: 'doomed' })
    core.agent.enqueue({ sessionId: kept.id, runId: 'k1', prompt: 'KEEP-ME' })
    core.agent.enqueue({ sessionId: doomed.id, runId: 'd1', prompt: 'SECRET-ONE' })
    await untilComplete(heard, ['k1', 'd1'])
    core.agent.enqueue({ sessionId: doomed.id, runId: 'd2', prompt: 'SECRET-TWO' })
    core.agent.enqueue({ sessionId: doomed.id, runId: 'd3', prompt: 'SECRET-THREE' })
    core.agent.deleteSession(doomed.id)
    await untilComplete(heard, ['d2', 'd3'])
    await core.agent.idle()

    // The window has not acknowledged anything, so the kept chat's words are still in the journal's outbox.
    expect(everything(dataDir)).toContain('KEEP-ME')
    expect(everything(dataDir)).not.toContain('SECRET')
    // Nor in the session log's store, at once: the deletion's commit is followed by a compaction (docs/decisions.md).
    await core.sessionLog.settled()
    expect(everything(dataDir, true)).toContain('KEEP-ME')
    expect(everything(dataDir, true)).not.toContain('SECRET')

    // And a restart brings none of it back.
    await core.shutdown()
    core = await startCore(dataDir)
    expect(JSON.stringify(core.recovery)).not.toContain('SECRET')
    expect(JSON.stringify(core.recovery)).toContain('KEEP-ME')
    expect(everything(dataDir, true)).not.toContain('SECRET')
    expect(await core.sessionLog.read(kept.id, { afterSeq: 0 })).toHaveLength(2)
  })
})

describe("a deleted chat's runs keep their outcomes, without their words (G4)", () => {
  it('G4: main killed after a deletion, before the session log took its runs\' ends: each run still has its RunComplete', async () => {
    const dataDir = newDataDir()
    core = await startCore(dataDir)
    const heard = listen(core, dataDir)
    const doomed = core.agent.createSession({ title: 'doomed' })
    core.agent.enqueue({ sessionId: doomed.id, runId: 'd1', prompt: 'SECRET-ONE' })
    await untilComplete(heard, ['d1'])
    core.agent.enqueue({ sessionId: doomed.id, runId: 'd2', prompt: 'SECRET-TWO' })
    core.agent.enqueue({ sessionId: doomed.id, runId: 'd3', prompt: 'SECRET-THREE' })
    await core.service.deleteSession(doomed.id)
    await untilComplete(heard, ['d2', 'd3'])
    // Killed then: the journal as it is, and no session log (cutAt copies the journal and the chat list only), as when
    // the log's batch with the runs' ends had not been written.
    const killed = cutAt(dataDir, statSync(journalPath(dataDir)).size)
    const restarted = await startCore(killed)
    try {
      for (const runId of ['d1', 'd2', 'd3']) {
        expect(await restarted.service.awaitRun(runId)).toMatchObject({ runId, sessionId: doomed.id, text: '' })
      }
      expect(await restarted.service.awaitRun('d3')).toMatchObject({ cancelled: true })
      expect(everything(killed)).not.toContain('SECRET')
    } finally {
      await restarted.shutdown()
    }
  })
})

describe("a deleted chat's stopped answer is told once (G4)", () => {
  it('G4: the RunComplete of an answer its chat\'s deletion stopped is not published again after a restart', async () => {
    const dataDir = newDataDir()
    core = await startCore(dataDir, {}, { model: new EndlessModel() })
    const heard = listen(core, dataDir)
    const doomed = core.agent.createSession({ title: 'doomed' })
    core.agent.enqueue({ sessionId: doomed.id, runId: 'd1', prompt: 'one' })
    // Deleted while d1 answers: d1 is stopped, and its RunComplete comes after the chat's session.deleted.
    await expect.poll(() => heard.some(({ event }) => event.type === 'run.started' && event.runId === 'd1')).toBe(true)
    await core.service.deleteSession(doomed.id)
    await untilComplete(heard, ['d1'])
    await core.agent.idle()
    // Killed then (the journal as it is): the restart must not tell d1's end a second time to a window that heard it.
    const lastHeard = heard.at(-1)?.event.seq ?? 0
    const killed = cutAt(dataDir, statSync(journalPath(dataDir)).size)
    const restarted = await startCore(killed)
    try {
      const after = listen(restarted, killed, lastHeard)
      await restarted.agent.idle()
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(after.map(({ event }) => event.type)).not.toContain('run.complete')
      expect(await restarted.service.awaitRun('d1')).toMatchObject({ runId: 'd1', text: '' })
    } finally {
      await restarted.shutdown()
    }
  })
})

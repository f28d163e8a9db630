import { describe, expect, it } from 'vitest'
import type { Call, EnqueueResult, RunComplete } from './call'
import { ParleyError, type ErrorCode } from './errors'
import { enqueueThroughDrops, namedCall, runThroughDrops } from './lasting-run'

type Answer = RunComplete | ErrorCode

/** A bridge that answers `run` and `awaitRun` from a script, in order, and records what was asked. */
function scripted(answers: Answer[]) {
  const asked: string[] = []
  const next = (what: string): Promise<RunComplete> => {
    asked.push(what)
    const answer = answers.shift()
    if (answer === undefined) return Promise.reject(new Error(`nothing scripted for ${what}`))
    return typeof answer === 'string' ? Promise.reject(new ParleyError(answer, answer)) : Promise.resolve(answer)
  }
  return {
    asked,
    api: {
      run: (call: Call) => next(`run ${call.runId ?? '?'}`),
      awaitRun: (runId: string) => next(`await ${runId}`)
    }
  }
}

const call: Call = { sessionId: 's', prompt: 'hello' }
const done: RunComplete = { runId: 'r', sessionId: 's', text: 'hi', cancelled: false }
const open = { closed: () => false, newRunId: () => 'r' }

describe('run through drops (G4)', () => {
  it('G4: names the run before it is sent, and keeps the caller\'s name', () => {
    expect(namedCall(call, () => 'minted')).toEqual({ ...call, runId: 'minted' })
    expect(namedCall({ ...call, runId: 'mine' }, () => 'minted')).toEqual({ ...call, runId: 'mine' })
    expect(namedCall(call).runId).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('G4: a run whose answer was lost asks for its outcome by name', async () => {
    const { api, asked } = scripted(['Disconnected', done])
    await expect(runThroughDrops(api, call, open)).resolves.toEqual(done)
    expect(asked).toEqual(['run r', 'await r'])
  })

  it('G4: a run main never got is sent again with the same name; a drop while waiting asks again', async () => {
    const { api, asked } = scripted(['Disconnected', 'RunUnknown', 'Disconnected', 'Disconnected', done])
    await expect(runThroughDrops(api, call, open)).resolves.toEqual(done)
    expect(asked).toEqual(['run r', 'await r', 'run r', 'await r', 'await r'])
  })

  it('G4: a second run refused as a duplicate (the first did arrive) goes back to waiting for it', async () => {
    const { api, asked } = scripted(['Disconnected', 'RunUnknown', 'DuplicateRunId', done])
    await expect(runThroughDrops(api, call, open)).resolves.toEqual(done)
    expect(asked).toEqual(['run r', 'await r', 'run r', 'await r'])
  })

  it('G4: a first run refused as a duplicate is the caller\'s reused runId: refused, not awaited', async () => {
    const { api, asked } = scripted(['DuplicateRunId'])
    await expect(runThroughDrops(api, { ...call, runId: 'taken' }, open)).rejects.toMatchObject({ code: 'DuplicateRunId' })
    expect(asked).toEqual(['run taken'])
  })

  it('G4: never loops: main that knew the run and then does not is an error', async () => {
    const { api, asked } = scripted(['Disconnected', 'RunUnknown', 'DuplicateRunId', 'RunUnknown'])
    await expect(runThroughDrops(api, call, open)).rejects.toMatchObject({ code: 'RunUnknown' })
    expect(asked).toEqual(['run r', 'await r', 'run r', 'await r'])
  })

  it('G4: ends once the bridge is closed, and passes other refusals on', async () => {
    let closed = false
    const { api } = scripted(['Disconnected', 'Disconnected'])
    const running = runThroughDrops({ ...api, awaitRun: (runId) => ((closed = true), api.awaitRun(runId)) }, call, {
      closed: () => closed
    })
    await expect(running).rejects.toMatchObject({ code: 'Disconnected' })
    await expect(runThroughDrops(scripted(['SessionMissing']).api, call, open)).rejects.toMatchObject({ code: 'SessionMissing' })
    await expect(runThroughDrops(scripted(['Disconnected', 'ShuttingDown']).api, call, open)).rejects.toMatchObject({
      code: 'ShuttingDown'
    })
  })
})

describe('enqueue through drops', () => {
  /** A bridge whose `enqueue` answers from a script, in order, recording the runIds it was asked for. */
  function enqueueing(answers: (EnqueueResult | ErrorCode)[]) {
    const asked: string[] = []
    return {
      asked,
      api: {
        enqueue: (named: Call): Promise<EnqueueResult> => {
          asked.push(named.runId ?? '?')
          const answer = answers.shift()
          if (answer === undefined) return Promise.reject(new Error('nothing scripted'))
          return typeof answer === 'string' ? Promise.reject(new ParleyError(answer, answer)) : Promise.resolve(answer)
        }
      }
    }
  }
  const accepted: EnqueueResult = { runId: 'r', state: 'active', position: 0 }

  it('a call cut off before main read it is sent again by the same runId, and accepted then', async () => {
    const { api, asked } = enqueueing(['Disconnected', 'Disconnected', accepted])
    await expect(enqueueThroughDrops(api, call, open)).resolves.toEqual(accepted)
    expect(asked).toEqual(['r', 'r', 'r'])
  })

  it('a call main had accepted before the drop: the resend is refused as a duplicate, which is the answer', async () => {
    const { api, asked } = enqueueing(['Disconnected', 'DuplicateRunId'])
    await expect(enqueueThroughDrops(api, call, open)).resolves.toEqual({ runId: 'r', state: 'queued', position: 1 })
    expect(asked).toEqual(['r', 'r'])
  })

  it("a first call refused as a duplicate is the caller's reused runId; a closed bridge and other refusals are thrown", async () => {
    await expect(enqueueThroughDrops(enqueueing(['DuplicateRunId']).api, call, open)).rejects.toMatchObject({ code: 'DuplicateRunId' })
    await expect(enqueueThroughDrops(enqueueing(['Disconnected']).api, call, { closed: () => true })).rejects.toMatchObject({ code: 'Disconnected' })
    await expect(enqueueThroughDrops(enqueueing(['Disconnected', 'EmptyPrompt']).api, call, open)).rejects.toMatchObject({ code: 'EmptyPrompt' })
  })
})

import type { ParleyApi } from './api'
import type { Call, EnqueueResult, RunComplete } from './call'
import { ParleyError } from './errors'

/** A call with its runId: the caller's, or one minted here (rule A7 lets the caller name its run). */
export function namedCall(call: Call, newRunId: () => string = () => crypto.randomUUID()): Call & { runId: string } {
  return call.runId === undefined ? { ...call, runId: newRunId() } : { ...call, runId: call.runId }
}

export interface LastingRunOptions {
  /** True once the bridge is closed for good: no reconnect will come, so the run stops waiting. */
  closed: () => boolean
  newRunId?: () => string
}

/**
 * `run()` for a bridge that can lose its connection, or whose main can restart (rule G4): the caller gets its own
 * RunComplete, once, and never waits after the bridge is closed.
 *
 * The run is named before it is sent. When the `run` call fails with `Disconnected`, the run may or may not have
 * reached main, so it asks `awaitRun(runId)` instead, which the bridge sends once it is connected again:
 * - main knows the run: its RunComplete comes at once if it ended, or when it ends;
 * - `RunUnknown`: the call never reached main, so `run` is sent again with the same runId. That is safe: if it did
 *   reach main meanwhile, main refuses the second with `DuplicateRunId`, and it goes back to `awaitRun`.
 * Further drops repeat this. It ends with the RunComplete, or an error:
 * - `Disconnected` once the bridge is closed (`closed()`);
 * - `DuplicateRunId` when the very first `run` is refused that way (the caller reused a runId: it is not this call's
 *   run, so its outcome is not awaited);
 * - `RunUnknown` when main said it knew the runId and then that it doesn't (it forgot the outcome: over 10,000 runs
 *   ended since), so it never loops;
 * - any other refusal, as `run` gives it (`EmptyPrompt`, `SessionMissing`, `ShuttingDown`…).
 */
export async function runThroughDrops(
  api: Pick<ParleyApi, 'run' | 'awaitRun'>,
  call: Call,
  options: LastingRunOptions
): Promise<RunComplete> {
  const named = namedCall(call, options.newRunId)
  let ask: 'run' | 'await' = 'run'
  /** A `run` went out and its answer was lost: main may have accepted it. */
  let maybeAccepted = false
  /** Main refused a `run` as a duplicate after a drop: it knows this runId. */
  let knownToMain = false
  for (;;) {
    try {
      return ask === 'run' ? await api.run(named) : await api.awaitRun(named.runId)
    } catch (error) {
      if (!(error instanceof ParleyError)) throw error
      if (error.code === 'Disconnected') {
        if (options.closed()) throw error
        if (ask === 'run') maybeAccepted = true
        ask = 'await'
      } else if (error.code === 'RunUnknown' && ask === 'await' && !knownToMain) {
        ask = 'run'
      } else if (error.code === 'DuplicateRunId' && ask === 'run' && maybeAccepted) {
        knownToMain = true
        ask = 'await'
      } else {
        throw error
      }
    }
  }
}

/**
 * `enqueue()` for a bridge that can lose its connection, or whose main can restart: a prompt is accepted once, and
 * the caller hears so, even when the answer to its call was lost. Without this, a call cut off by main's crash failed
 * `Disconnected` and the window put the prompt back in the box while main, which had accepted it before the crash,
 * ran it: sent again, it ran twice.
 *
 * The call is named before it is sent. When it fails with `Disconnected` it is sent again with the same runId (the
 * bridge sends it once it is connected again); main refusing that one with `DuplicateRunId` says it had accepted the
 * first, which is then the answer: `queued`, its place told by main's events (run.started, queue.changed), position 1
 * standing for "somewhere". A first call refused as a duplicate is the caller's reuse of a runId, and is thrown; so is
 * `Disconnected` once the bridge is closed, and any other refusal.
 */
export async function enqueueThroughDrops(
  api: Pick<ParleyApi, 'enqueue'>,
  call: Call,
  options: LastingRunOptions
): Promise<EnqueueResult> {
  const named = namedCall(call, options.newRunId)
  let maybeAccepted = false
  for (;;) {
    try {
      return await api.enqueue(named)
    } catch (error) {
      if (!(error instanceof ParleyError)) throw error
      if (error.code === 'Disconnected' && !options.closed()) maybeAccepted = true
      else if (error.code === 'DuplicateRunId' && maybeAccepted) return { runId: named.runId, state: 'queued', position: 1 }
      else throw error
    }
  }
}

/**
 * `cancelRun()` for a bridge that can lose its connection, or whose main can restart: a queued prompt the person
 * removed (its chip's ×) is removed, and an answer they stopped is stopped, even when a drop cut the call off. Without
 * this, a removal cut off by main's crash failed `Disconnected`, and the restarted main started that very prompt at
 * once (the head of its queue), before anyone could try again.
 *
 * When the call fails with `Disconnected` it is sent again by the same runId once the bridge is back. D2 makes that
 * safe: if the first call reached main, the run is over (removed, or stopped) and the second answers `false`, changing
 * nothing; if it never did, the run is cancelled now: removed if still queued, stopped if it started meanwhile (and
 * never a prompt accepted after it, D4: it names its run). After a drop, `false` may so mean that the first call did it.
 * `Disconnected` once the bridge is closed, and any other refusal, are thrown.
 */
export async function cancelRunThroughDrops(
  api: Pick<ParleyApi, 'cancelRun'>,
  runId: string,
  options: Pick<LastingRunOptions, 'closed'>
): Promise<boolean> {
  for (;;) {
    try {
      return await api.cancelRun(runId)
    } catch (error) {
      if (!(error instanceof ParleyError) || error.code !== 'Disconnected' || options.closed()) throw error
    }
  }
}

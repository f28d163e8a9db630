import { createRemoteApi, ParleyError } from '../../shared'
import { createParleyCore, type ParleyCore, type ParleyCoreOptions } from '../core/parley-core'
import { BridgeSession } from '../core/service/bridge-session'
import { dispatch } from '../core/service/dispatch'
import { startLocalSocketHost, type LocalSocketHost } from '../host/local-socket'
import type { ParleyLink } from './parley-link'

export interface InProcessOptions {
  /** Tells the person, on stderr, why the command has not left yet. */
  say(line: string): void
  /**
   * For a command that only reads (`chats`, `status`, `show`): the core starts no turn and asks no model, so the
   * prompts the journal brings back stay queued there for the next real start (G1); and it serves no socket, so no
   * `parley run` queues behind a core that would never start its prompt: a newcomer waits the moment it takes to
   * answer and leave. The start's own recovery still runs, as at any start (a run a crash cut off is finished, G2).
   */
  readOnly?: boolean
}

/**
 * Runs the core here, on the data folder, holding its lock (createParleyCore throws DataFolderInUseError when a
 * Parley already holds it): the same settings, session log and journal the app uses, so the runs are in its history
 * the next time it starts. Calls take the wire's path (dispatch validates them, BridgeSession keeps the event
 * stream), so the command behaves the same in-process as over the socket. While it lasts, the core also serves the
 * local socket (not `readOnly`), so a second `parley run` on the folder joins it instead of waiting for the lock.
 */
export async function startInProcess(coreOptions: ParleyCoreOptions, options: InProcessOptions): Promise<ParleyLink> {
  const readOnly = options.readOnly ?? false
  const core = await createParleyCore(readOnly ? { ...coreOptions, startsNoTurn: true } : coreOptions)
  let host: LocalSocketHost | undefined
  try {
    if (!readOnly) host = await startLocalSocketHost({ service: core.service, dataDir: coreOptions.dataDir })
  } catch {
    // Another `parley run` can still wait for the lock; this one does not need the socket.
  }
  const session = new BridgeSession(core.service, (frame) => remote.receive(frame))
  const remote = createRemoteApi({
    async call(method, args) {
      const outcome = await dispatch(core.service, method, args)
      if (outcome.ok) return outcome.result
      throw new ParleyError(outcome.error.code, outcome.error.message)
    },
    send: (frame) => session.receive(frame)
  })
  let closing: Promise<void> | undefined
  return {
    via: 'in-process',
    api: remote.api,
    lost: new Promise<void>(() => {}),
    mayComeBack: false,
    close(leaveNow = new Promise<never>(() => {})) {
      if (closing === undefined) {
        session.close()
        closing = leave(core, host, leaveNow, options.say)
      }
      return closing
    }
  }
}

/**
 * This command's own run is over, but the core may be writing answers for others: a `parley run` that joined over
 * the socket, or prompts the journal brought back. Those turns finish (each with its RunComplete), no other starts,
 * prompts not started stay queued in the journal for the next start (G1); then the core shuts down and the folder is
 * free. Newcomers find no socket meanwhile, and wait for the folder.
 */
async function leave(core: ParleyCore, host: LocalSocketHost | undefined, leaveNow: Promise<unknown>, say: (line: string) => void): Promise<void> {
  host?.stopListening()
  const running = core.agent.finishRunning()
  if (running.length > 0) {
    say(waitingNote(running.length))
    await Promise.race([Promise.allSettled(running), leaveNow])
  }
  await answersSent(core)
  await host?.close()
  await core.shutdown()
}

/**
 * Subscribers hear an event only once the journal holds it durably (ParleyService.subscribe's gate), and a call's
 * answer comes a few promise steps after the run it answers: both are out once the journal is durable and those
 * steps have run. Only then may the peers be hung up on, or a joined command would miss the RunComplete it waits for.
 */
async function answersSent(core: ParleyCore): Promise<void> {
  // A journal that can't be written any more must not keep the folder locked: shutdown still runs.
  await core.journal.durable().catch(() => undefined)
  await new Promise((resolve) => setImmediate(resolve))
}

function waitingNote(running: number): string {
  const answers = running === 1 ? '1 other answer is' : `${running} other answers are`
  return `${answers} being written here; waiting for them before leaving the data folder (Ctrl+C leaves now)`
}

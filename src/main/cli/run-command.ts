import { ParleyError, uploadInParts, type AttachmentRef, type Call, type FileToUpload, type ParleyEvent, type ChatListItem, type RunComplete, type Unsubscribe } from '../../shared'
import { chatModelFrom, optionsPatch } from './chat-options'
import { latestChat } from './read-commands'
import type { RunArgs } from './cli-args'
import { exitCodes, exitFor, type ExitCode } from './exit-codes'
import { downAfterLooking, FailFast, failFastSentence, unreachableNow } from './fail-fast'
import type { ParleyLink } from './parley-link'
import { QueueNotice } from './queue-notice'
import { ReachTimeout } from './reach-parley'
import { RunPrinter } from './run-printer'
import { exitCodeFor, type StopReason, type StopRequests } from './stop-requests'

export interface RunDeps {
  /**
   * The app over its socket, or the core in-process; gives up (ReachTimeout) once `givingUp` settles. `waitForApp`:
   * the app just went away and may be restarting, so it is given a while to come back before the core is started
   * here. Not after another command's core left (ParleyLink.mayComeBack): the folder is taken once it is free.
   */
  reach(givingUp: Promise<unknown>, waitForApp: boolean): Promise<ParleyLink>
  newRunId(): string
  /** Ctrl+C, SIGTERM, a closed stdout: the first stops the run; another cuts short the wait for others' answers. */
  stops: StopRequests
  /** Settles after `ms`: the --timeout. */
  after(ms: number): Promise<void>
  stdout(text: string): void
  stderr(text: string): void
}

/** How long a cancel on the way out may take before the command leaves anyway. */
const cancelWaitMs = 3_000
/**
 * How long a cancel that main's crash (or restart) cut off may wait for Parley to be back to take it. Another stop
 * request leaves at once.
 */
const cancelReachMs = 15_000

type Ending =
  | { kind: 'complete'; complete: RunComplete }
  | { kind: 'lost' }
  | { kind: 'timeout' }
  | { kind: 'stopped'; reason: StopReason }
  | { kind: 'unreachable'; why: string }

/**
 * `parley run`: mints a runId, subscribes, enqueues, prints the answer as it streams and ends with the RunComplete
 * of its own run, never another's (B5). If the app goes away while the run waits, it reaches Parley again (the app
 * back, or the core in-process) and asks for its run by id (G4): the answer comes from the replayed events or from
 * `awaitRun`, whichever is first. Bounded by --timeout, after which the run is cancelled (124); Ctrl+C (130), SIGTERM
 * (143) and SIGHUP (129) cancel it too. A reader that closed stdout (141) does when the command runs Parley itself;
 * through the app it does not: the app finishes the answer in its chat after the command has left. Either way it lets go of
 * Parley as ParleyLink.close says; a stop request it did not spend on its own run cuts that short.
 */
export async function runCommand(args: RunArgs, prompt: string, deps: RunDeps, files: readonly FileToUpload[]): Promise<ExitCode> {
  const timeout = deps.after(args.timeoutSeconds * 1000).then((): Ending => ({ kind: 'timeout' }))
  const stopRequest = (nth: number): Promise<Ending> => deps.stops.nth(nth).then((reason): Ending => ({ kind: 'stopped', reason }))
  const stopped = stopRequest(1)
  const givingUp = Promise.race([timeout, stopped])
  const quietNotices = args.output === 'quiet'
  const note = (line: string): void => {
    if (!quietNotices) deps.stderr(line)
  }

  let link: ParleyLink
  try {
    link = await deps.reach(givingUp, false)
  } catch (error) {
    if (error instanceof ReachTimeout) return gaveUp(await givingUp, deps)
    throw error
  }

  const runId = deps.newRunId()
  /** The stop requests this command spent on its own run; the next one cuts short its wait for others' answers. */
  let stopsSpent = 0
  let unsubscribe: Unsubscribe = () => {}
  try {
    const early = await Promise.race([prepare(link, args), givingUp])
    if ('kind' in early) {
      if (early.kind === 'stopped') stopsSpent = 1
      return gaveUp(early, deps)
    }
    if ('notSent' in early) {
      deps.stderr(`parley: ${failFastSentence.notSent(early.notSent)}\n`)
      return exitCodes.serverUnreachable
    }
    const { sessionId, since } = early
    const printer = new RunPrinter(runId, args.output, deps.stdout)
    // --fail-fast: the run waiting for a server that can't be reached ends the command, so no line says it waits for
    // it; a server loading its model (C6) is waited for, and said.
    const failFast = args.failFast ? new FailFast(runId, sessionId, early.providerId, early.downBefore) : null
    const notice = new QueueNotice(runId, sessionId, (line) => {
      if (failFast === null || !(failFast.serverDown || line === 'parley: waiting for the model to answer\n')) note(line)
    })
    let lastSeq = since
    /** The chat was deleted while the run waited or ran (its run then ends cancelled, D1): said in those words. */
    let chatDeleted = false
    let settle: (complete: RunComplete) => void = () => {}
    const completed = new Promise<Ending>((resolve) => (settle = (complete) => resolve({ kind: 'complete', complete })))
    const listen = (api: ParleyLink['api']): Unsubscribe =>
      api.subscribe({ since: lastSeq }, (event: ParleyEvent) => {
        lastSeq = Math.max(lastSeq, event.seq)
        printer.take(event)
        failFast?.take(event)
        notice.take(event)
        if (event.type === 'session.deleted' && event.sessionId === sessionId) chatDeleted = true
        if (event.type === 'run.complete' && event.complete.runId === runId) settle(event.complete)
      })
    unsubscribe = listen(link.api)
    // --attach: stored first (each checked by main), so the call, and a call sent again after a reconnect, has refs.
    const attachments: AttachmentRef[] = []
    // A large file goes in parts, so main never parses one frame of up to 67 MB.
    for (const file of files) {
      const stored = await uploadInParts(link.api, file, (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'))
      if (stored.warning !== undefined) note(`parley: ${stored.ref.name}: ${stored.warning}\n`)
      attachments.push(stored.ref)
    }
    const call: Call & { runId: string } = { sessionId, runId, prompt, ...(attachments.length > 0 ? { attachments } : {}) }
    /** Main answered the enqueue: it has the run, and will remember its outcome (G4). */
    let accepted = false
    try {
      const result = await link.api.enqueue(call)
      failFast?.accepted(result)
      notice.accepted(result)
      accepted = true
    } catch (error) {
      if (!(error instanceof ParleyError && error.code === 'Disconnected')) throw inPlainWords(error, args)
    }

    for (;;) {
      const unreachable = failFast?.unreachable.then((why): Ending => ({ kind: 'unreachable', why })) ?? new Promise<Ending>(() => {})
      const ending = await Promise.race([completed, link.lost.then((): Ending => ({ kind: 'lost' })), timeout, stopRequest(stopsSpent + 1), unreachable])
      switch (ending.kind) {
        case 'complete': {
          printer.finish(ending.complete)
          const { code, problem } = exitFor(ending.complete, { chatDeleted })
          if (problem !== null) deps.stderr(`parley: ${problem}\n`)
          return code
        }
        case 'unreachable': {
          // The run waits in its queue (C3) and never started: cancelled, it ends with no message (D2), and a main
          // that restarts does not run it later. Should it have run meanwhile (the server came back), it counts.
          link = await cancel(link, runId, completed, deps, stopsSpent)
          const ended = await Promise.race([completed, Promise.resolve(null)])
          if (ended !== null && ended.kind === 'complete' && !ended.complete.cancelled) {
            printer.finish(ended.complete)
            const { code, problem } = exitFor(ended.complete, { chatDeleted })
            if (problem !== null) deps.stderr(`parley: ${problem}\n`)
            return code
          }
          deps.stderr(`parley: ${failFastSentence.cancelled(ending.why)}\n`)
          return exitCodes.serverUnreachable
        }
        case 'timeout':
          link = await cancel(link, runId, completed, deps, stopsSpent)
          printer.cut()
          return timedOut(deps)
        case 'stopped':
          stopsSpent += 1
          if (ending.reason === 'output-closed' && link.via === 'app') {
            // The reader has what it wanted (`| head -c 5`); nobody asked to stop the answer, and the app is there to
            // finish it in its chat after this command has gone. A Parley running here cancels it instead (as before,
            // what streamed kept): staying until the answer is in would hold the pipeline for all of it, where
            // `| head` is expected to end as soon as it has its bytes.
            return exitCodes.outputClosed
          }
          link = await cancel(link, runId, completed, deps, stopsSpent)
          printer.cut()
          return exitCodeFor(ending.reason)
        case 'lost': {
          unsubscribe()
          note('parley: lost the connection to Parley; reaching it again\n')
          try {
            link = await deps.reach(givingUp, link.mayComeBack)
          } catch (error) {
            if (error instanceof ReachTimeout) {
              const ending = await givingUp
              if (ending.kind === 'stopped') stopsSpent = 1
              // The run may be waiting in the queue of the Parley that went away: once it is back it would run it
              // after this command said it was cancelled, unless the cancel reaches it.
              if (!(ending.kind === 'stopped' && ending.reason === 'output-closed')) {
                link = await cancel(link, runId, completed, deps, stopsSpent)
              }
              return gaveUp(ending, deps)
            }
            throw error
          }
          unsubscribe = listen(link.api)
          void askAgain(link, call, accepted, settle, deps).then((nowAccepted) => (accepted ||= nowAccepted))
        }
      }
    }
  } finally {
    unsubscribe()
    // A stop request that stopped the run is spent; the next one (or the first, if none was spent) leaves at once.
    await link.close(deps.stops.nth(stopsSpent + 1))
  }
}

/** The chat the run goes to, ready; or, under --fail-fast, why the prompt is not sent (its server is known down). */
type Prepared = { sessionId: string; since: number; providerId: string; downBefore: string | null } | { notSent: string }

/** The chat (a new one, or the one named) with the flags' options applied, and the seq to listen from. */
async function prepare(link: ParleyLink, args: RunArgs): Promise<Prepared> {
  try {
    return await prepareChat(link, args)
  } catch (error) {
    throw inPlainWords(error, args)
  }
}

/** `--session` with an id that is not (or no longer) a chat: said as `parley show` says it, with where to look. */
function inPlainWords(error: unknown, args: RunArgs): unknown {
  if (error instanceof ParleyError && error.code === 'SessionMissing' && args.target.kind === 'session') {
    return new ParleyError('SessionMissing', `There is no chat with the id ${args.target.sessionId}: \`parley chats\` lists them.`)
  }
  return error
}

async function prepareChat(link: ParleyLink, args: RunArgs): Promise<Prepared> {
  const { api } = link
  const status = await api.status()
  const since = status.lastSeq
  const settings = args.model !== null || args.failFast ? await api.getSettings() : null
  const model = args.model === null || settings === null ? null : chatModelFrom(args.model, settings)
  // The chat as it is, when the run's provider has to be known (--fail-fast) or the newest is wanted (--continue).
  const known: ChatListItem | null =
    args.target.kind === 'latest'
      ? await latestChat(api)
      : args.target.kind === 'session' && args.failFast
        ? await namedChat(api, args.target.sessionId)
        : null
  // The provider the run will ask: --model's, else the chat's own, else the settings' (as the turn picks it).
  const providerId = model?.providerId ?? known?.model?.providerId ?? settings?.models.large.providerId ?? ''
  const knownDown = settings === null ? null : unreachableNow(status.providers.find((p) => p.providerId === providerId), settings)
  // --fail-fast with the server known down, and still down when main looks again: nothing is made or sent (not even
  // the new chat).
  const downBefore = args.failFast && knownDown !== null ? await downAfterLooking(api, providerId, since, knownDown) : null
  if (downBefore !== null) return { notSent: downBefore }
  const sessionId = args.target.kind === 'session' ? args.target.sessionId : (known?.id ?? (await api.createSession({})).id)
  const patch = optionsPatch(model, args.system)
  if (patch !== null) await api.updateSession(sessionId, patch)
  return { sessionId, since, providerId, downBefore }
}

/** The chat named by `--session`, as main lists it; a missing one is refused as `parley show` refuses it. */
async function namedChat(api: ParleyLink['api'], sessionId: string): Promise<ChatListItem> {
  const chat = (await api.listChats({})).find((c) => c.id === sessionId)
  if (chat === undefined) throw new ParleyError('SessionMissing', `There is no chat session with the id ${sessionId}.`)
  return chat
}

/**
 * After a reconnect: the run's outcome by its id (G4: at once if it ended meanwhile, else when it ends). A run main
 * never had (the enqueue was lost with the connection) is enqueued again, with the same runId. Answers whether main
 * now has the run.
 */
async function askAgain(
  link: ParleyLink,
  call: Call & { runId: string },
  accepted: boolean,
  settle: (complete: RunComplete) => void,
  deps: Pick<RunDeps, 'stderr'>
): Promise<boolean> {
  try {
    settle(await link.api.awaitRun(call.runId))
    return true
  } catch (error) {
    if (!(error instanceof ParleyError)) throw error
    if (error.code === 'Disconnected') return accepted
    if (error.code !== 'RunUnknown' || accepted) {
      deps.stderr(`parley: ${error.message}\n`)
      return accepted
    }
  }
  try {
    await link.api.enqueue(call)
  } catch (error) {
    if (!(error instanceof ParleyError && (error.code === 'Disconnected' || error.code === 'DuplicateRunId'))) throw error
  }
  return true
}

/**
 * Cancels the run and waits (a while at most) for its cancelled RunComplete, so that when the link closes this run
 * is over and only others' answers are left to wait for. Answers the link to close.
 *
 * D2: a cancel that the link's loss cut off (main crashed or restarted, before or while it was sent) is sent again
 * by the runId once Parley is reached again: otherwise the restarted main ran a queued run to its end after the
 * command had said it was cancelled. Sent again, it is safe: a run already cancelled or ended answers `false`, and a
 * run main never had is not there to touch. It waits for Parley at most `cancelReachMs`, or until the next stop request.
 */
async function cancel(
  link: ParleyLink,
  runId: string,
  completed: Promise<unknown>,
  deps: Pick<RunDeps, 'reach' | 'stops' | 'stderr'>,
  stopsSpent: number
): Promise<ParleyLink> {
  const reachWait = new Promise<void>((resolve) => setTimeout(resolve, cancelReachMs).unref())
  const leaveNow = Promise.race([deps.stops.nth(stopsSpent + 1), reachWait])
  let current = link
  for (;;) {
    const wait = new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), cancelWaitMs).unref())
    const answer = await Promise.race([
      current.api.cancelRun(runId).then(
        (known) => (known ? 'known' : 'over'),
        (error: unknown) => (error instanceof ParleyError && error.code === 'Disconnected' ? 'cut' : 'refused')
      ),
      wait
    ])
    // Main answers a cancel once it is durable (D2); the RunComplete is awaited on the first link only, whose
    // subscription hears it (a link reached again has none).
    if (answer === 'known' && current === link) await Promise.race([completed, current.lost, wait])
    if (answer !== 'cut') return current
    deps.stderr('parley: Parley went away before it took the cancel; waiting for it to cancel the run (Ctrl+C again to leave now)\n')
    try {
      current = await deps.reach(leaveNow, current.mayComeBack)
    } catch (error) {
      if (!(error instanceof ReachTimeout)) throw error
      deps.stderr('parley: Parley did not come back to take the cancel: the run may still run when it does\n')
      return current
    }
  }
}

/** The command gave up before its run ended: the --timeout passed, or a stop request came. */
function gaveUp(ending: Ending, deps: Pick<RunDeps, 'stderr'>): ExitCode {
  return ending.kind === 'stopped' ? exitCodeFor(ending.reason) : timedOut(deps)
}

function timedOut(deps: Pick<RunDeps, 'stderr'>): ExitCode {
  deps.stderr('parley: --timeout passed; the run was cancelled\n')
  return exitCodes.timedOut
}

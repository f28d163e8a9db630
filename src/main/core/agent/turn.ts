import type { ModelRef, ProviderTrouble, SessionOptions } from '../../../shared'
import type { EventBroker } from '../events/event-broker'
import {
  classifyProviderError,
  describeLoadingModel,
  describeLoadingTimeout,
  describeProviderError,
  isLoadingModel,
  isRetryable
} from '../providers/errors'
import { contextOverflowOf, overflowRetries, smallerContext, type LearnedContexts } from '../providers/context-overflow'
import { noServedContext, withServedContext, type ServedContextPort } from '../providers/served-context'
import { AnswerWriter, type TurnResult } from './answer-writer'
import { FirstByteWatch, type LoadingIntoMemoryPort } from './first-byte-watch'
import {
  alwaysReachable,
  type AgentSettings,
  type AttachmentsPort,
  type HistoryPort,
  type ModelPort,
  type ReachabilityPort
} from './ports'
import type { LoadedAttachment } from '../attachments/attachment-store'
import { attachmentRefsOf, buildRequest, contextBudget, contextFills, turnOptions } from './request-builder'
import type { ActivePhase, Run } from './run'
import { titleSeed } from './title'

/** What an answer with no token needs: where to publish it, and its clock and ids. */
export interface AnswerPorts {
  broker: Pick<EventBroker, 'publish'>
  now: () => number
  newId: () => string
  deltaIntervalMs: number
}

/** What a turn needs from the world, and nothing else. */
export interface TurnPorts extends AnswerPorts {
  broker: Pick<EventBroker, 'publish' | 'lastSeq'>
  history: Pick<HistoryPort, 'read' | 'place' | 'leaf'>
  models: Pick<ModelPort, 'large'>
  settings: () => AgentSettings
  /** The chat's own options, read as the turn starts: a change made while it runs is for the next one. */
  sessionOptions: (sessionId: string) => SessionOptions | undefined
  reachability: ReachabilityPort
  /** Where a request's attachments are loaded from (issue 14). */
  attachments: Pick<AttachmentsPort, 'load'>
  /** Resolves once what main recorded so far is in the journal's file (`RunJournal.written`); undefined if it is. */
  journalWritten: () => Promise<void> | undefined
  /** B1's user message is in history (not a Retry's, not a waited run's again): the titles hear of it (E1). */
  userMessageWritten: (sessionId: string, seed: string) => void
  /** The longest a retry-after is honoured (C4); a longer one fails the run with the provider's error. */
  maxRetryWaitMs: number
  /** B2: the contexts servers turned out to have (smaller than the settings say), learned from their refusals. */
  contexts: Pick<LearnedContexts, 'fit' | 'learn'>
  /** B2: the context the server runs the model with, when it says (llama.cpp, Ollama, vLLM, LM Studio). */
  servedContexts?: ServedContextPort
  /** C6: asked while a request has had no first byte for a while: whether Ollama or LM Studio is loading the model. */
  loadingIntoMemory?: LoadingIntoMemoryPort
}

/** What a turn reads of its run, and the two things it writes back for a later try (C3, C6). */
export type TurnRun = Pick<
  Run,
  'runId' | 'sessionId' | 'prompt' | 'attachments' | 'retryOf' | 'editOf' | 'userMessage' | 'loadingSince'
>

/** How the queue stops a turn: its controller aborts it, and its stop reason says how the answer ends (D5, D6). */
export type TurnStop = Readonly<Pick<ActivePhase, 'controller' | 'stopReason'>>

/** C3, C6: before the first token the provider could not take the run yet; the run waits, and the monitor hears why. */
export interface TurnWait {
  wait: ProviderTrouble
  providerId: string
  detail: string
}

/** A turn either ends the run, or finds before the first token that the provider can't take it yet, and waits. */
export type TurnOutcome = TurnResult | TurnWait

/** One run against the model (rules B1–B4, C3–C6, H1–H4). It never throws for a provider's failure. */
export async function takeTurn(ports: TurnPorts, run: TurnRun, stop: TurnStop): Promise<TurnOutcome> {
  const signal = stop.controller.signal
  const { sessionId, runId } = run

  // B1: the user message is committed before the model is called. A run tried again after waiting (C3) has it;
  // a Retry (H3) answers one already there, after everything published so far.
  if (!run.userMessage && run.retryOf) run.userMessage = { id: run.retryOf, seq: ports.broker.lastSeq }
  if (!run.userMessage) {
    const id = ports.newId()
    const committed = ports.broker.publish({
      type: 'message.created',
      message: {
        id,
        sessionId,
        runId,
        role: 'user',
        parts: [{ type: 'text', text: run.prompt }],
        status: 'finished',
        createdAt: ports.now(),
        parentId: parentOfPrompt(ports, run),
        ...(run.attachments?.length ? { attachments: run.attachments } : {})
      }
    })
    run.userMessage = { id, seq: committed.seq }
    ports.userMessageWritten(sessionId, titleSeed(run.prompt, run.attachments))
  }

  const chat = ports.sessionOptions(sessionId)
  let model
  try {
    model = ports.models.large(chat?.model)
  } catch (error) {
    return answerWithout(ports, run, 'error', `Parley has no model to use: ${errorMessage(error)}`)
  }
  const providerId = model.provider.id
  const answer = new AnswerWriter(
    ports.broker,
    { messageId: ports.newId(), sessionId, runId, providerId, model: model.ref.model, parentId: run.userMessage.id },
    ports.now,
    ports.deltaIntervalMs
  )
  const stopped = () => {
    ports.reachability.turnStopped(providerId)
    return stoppedAnswer(answer, stop)
  }
  const monitored = ports.reachability !== alwaysReachable

  const settings = ports.settings()
  const configured = turnOptions(settings, chat, model.ref)
  // B2: no larger than the context the server runs the model with, when it says (asked briefly, then kept).
  const served = ports.servedContexts ?? noServedContext
  const sized = withServedContext(configured.model, await served.size(providerId, configured.model.model, signal))
  if (signal.aborted) return stopped()
  // B2: sized as a server took it before, when it refused the settings' size.
  const options = { ...configured, model: ports.contexts.fit(sized) }
  const budget = contextBudget(options)
  let history
  try {
    // B2: history after everything earlier in the session is written, so a queued turn sees the one before.
    // H4: read newest first, only as far as the context window needs.
    const read = ports.history.read(sessionId, {
      afterSeq: run.userMessage.seq,
      from: run.userMessage.id,
      signal,
      enough: contextFills(budget)
    })
    history = await abortable(read, signal)
  } catch (error) {
    if (signal.aborted) return stopped()
    return answer.end('error', `Parley could not read this chat's history: ${errorMessage(error)}`)
  }
  if (signal.aborted) return stopped()
  if (history.at(-1)?.id !== run.userMessage.id) {
    return answer.end('error', 'The prompt to answer is no longer in this chat: it may have been deleted.')
  }
  // Issue 14: the files the kept history uses, loaded now; one that vanished fails the turn, naming it.
  const attachments = new Map<string, LoadedAttachment>()
  try {
    for (const ref of attachmentRefsOf(history)) attachments.set(ref.id, await ports.attachments.load(ref))
  } catch (error) {
    if (signal.aborted) return stopped()
    return answer.end('error', errorMessage(error))
  }
  if (signal.aborted) return stopped()
  // H1 across a crash: the history just read (an answer finished a moment ago, this prompt) may not be in the journal's
  // file yet. The model is asked once it is, so a kill can't take back what the model was sent. A write, not an fsync
  // (about a tenth of a millisecond; docs/decisions.md). A journal that failed is reported elsewhere: the turn goes on.
  const writing = ports.journalWritten()
  if (writing) {
    try {
      await abortable(writing, signal)
    } catch {
      if (signal.aborted) return stopped()
    }
  }
  let request = buildRequest({ ...options, history, attachments })
  let shrunk = 0
  let fitted = options.model

  for (let attempt = 1; ; attempt++) {
    let watch: FirstByteWatch | undefined
    try {
      answer.requestSent()
      // C6: a server that loads the model when asked for it (Ollama, LM Studio) holds the request without a word.
      if (ports.loadingIntoMemory) {
        watch = new FirstByteWatch(ports.broker, ports.loadingIntoMemory, { runId, sessionId, providerId, model: configured.model.model })
      }
      let answered = false
      for await (const event of model.provider.stream(request, signal)) {
        if (signal.aborted) break
        if (!answered) {
          answered = true
          watch?.stop()
          ports.reachability.answered(providerId)
          // The server took this size: the next turns start from it.
          if (shrunk > 0) ports.contexts.learn(sized, fitted)
        }
        answer.take(event)
      }
      watch?.stop()
      return signal.aborted ? stopped() : answer.finish()
    } catch (error) {
      watch?.stop()
      if (signal.aborted) return stopped()
      const failure = classifyProviderError(error)
      const detail = describeProviderError(failure)
      if (failure.kind !== 'unreachable' && !isLoadingModel(failure)) ports.reachability.answered(providerId)
      const overflow = contextOverflowOf(failure)
      // B2: the size the server said is stale (restarted smaller, another model loaded): asked again next turn.
      if (overflow) served.refused(providerId, configured.model.model)
      if (!answer.started) {
        // B2: a server whose context is smaller than the model's settings say refuses the request; it is sent again
        // with less history (fitted to the size the server named, else halved), from the history already read.
        const smaller = overflow && shrunk < overflowRetries ? smallerContext(fitted, overflow) : undefined
        if (smaller) {
          shrunk += 1
          fitted = smaller
          request = buildRequest({ ...options, model: smaller, history, attachments })
          continue
        }
        // C3: an unreachable provider is not a failure of the prompt: it waits, with no assistant message kept.
        if (failure.kind === 'unreachable' && monitored) return { wait: 'unreachable', providerId, detail }
        // C6: a server that is loading its model isn't either, until the run has waited longer than the limit.
        if (isLoadingModel(failure) && monitored) {
          const now = ports.now()
          run.loadingSince ??= now
          const waited = now - run.loadingSince
          if (waited < settings.loadingTimeoutMs) return { wait: 'loading', providerId, detail: describeLoadingModel(failure) }
          // Past the limit this run gives up; the monitor stops waiting for its report (the next prompt finds out).
          ports.reachability.turnStopped(providerId)
          return answer.end('error', describeLoadingTimeout(failure, waited))
        }
        // C4: a 429 (or 529) before the first token is tried again, honouring retry-after.
        const waitMs = failure.retryAfterMs ?? Math.min(30_000, 1000 * 2 ** (attempt - 1))
        if (isRetryable(failure) && attempt <= settings.maxRetries && waitMs <= ports.maxRetryWaitMs) {
          ports.broker.publish({
            type: 'run.retrying',
            runId,
            sessionId,
            attempt,
            retryInSeconds: Math.ceil(waitMs / 1000),
            detail,
            ...(failure.status !== undefined ? { status: failure.status } : {})
          })
          if (!(await sleep(waitMs, signal))) return stopped()
          continue
        }
      }
      // C5: an error keeps the partial text and becomes a sentence on the message and the RunComplete.
      return answer.end('error', overflow && shrunk > 0 ? `${detail} ${overflowNote(fitted)}` : detail)
    }
  }
}

/** Said after a server's refusal that stayed after Parley sent less history: the prompt alone is too long for it. */
function overflowNote(tried: ModelRef): string {
  return `Parley sent less of the chat (about ${tried.contextWindow.toLocaleString('en')} tokens of context) and the server still refused it: the newest prompt may be too long for the context the server was started with.`
}

/** The run an answer belongs to, and the prompt it goes under (if the run has one yet). */
export type AnsweredRun = Pick<Run, 'runId' | 'sessionId'> & { userMessage?: Pick<NonNullable<Run['userMessage']>, 'id'> | undefined }

/**
 * An assistant message that got no token: finished at once with this reason (a failure, D5's cancel of a prompt that
 * waited, or G2's interrupted run).
 */
export function answerWithout(
  ports: AnswerPorts,
  run: AnsweredRun,
  reason: 'error' | 'canceled' | 'interrupted',
  error?: string
): TurnResult {
  const answer = new AnswerWriter(
    ports.broker,
    {
      messageId: ports.newId(),
      sessionId: run.sessionId,
      runId: run.runId,
      providerId: '',
      model: '',
      ...(run.userMessage ? { parentId: run.userMessage.id } : {})
    },
    ports.now,
    ports.deltaIntervalMs
  )
  return answer.end(reason, error)
}

/** D5: a cancel before the model answered still leaves an assistant message, finished `canceled`, empty. */
function stoppedAnswer(answer: AnswerWriter, stop: TurnStop): TurnResult {
  return stop.stopReason === 'shutdown' ? answer.end('interrupted', 'interrupted') : answer.end('canceled')
}

/**
 * H3: a prompt follows the session's current leaf; an edited one goes beside the prompt it edits, under the same
 * parent (null: it edits the first prompt, and starts a branch of its own).
 */
function parentOfPrompt(ports: Pick<TurnPorts, 'history'>, run: TurnRun): string | null {
  const edited = run.editOf === undefined ? undefined : ports.history.place(run.editOf)
  return edited ? edited.parentId : ports.history.leaf(run.sessionId)
}

/** Waits `ms`, or less if the signal aborts first (then resolves false, and no timer is left behind). */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false)
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer)
      resolve(false)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve(true)
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** Rejects as soon as the signal aborts, so a cancel never waits on a slow history read. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      }
    )
  })
}

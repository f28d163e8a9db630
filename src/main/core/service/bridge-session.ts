import {
  ParleyError,
  type ClientFrame,
  type FrameProblem,
  type HistoryRequest,
  type Message,
  type ServerFrame
} from '../../../shared'
import { dispatch } from './dispatch'
import type { ParleyService } from './parley-service'

/**
 * Sends one frame to the renderer. It returns a promise while the renderer is slow to read (the WebSocket's buffer
 * is full): the broker then holds this renderer's events and merges its deltas until the promise settles (rule F2).
 */
export type SendFrame = (frame: ServerFrame) => void | Promise<void>

export interface BridgeSessionOptions {
  /** How long main waits for a history answer before it forgets the request. */
  historyTimeoutMs?: number
}

interface WaitingAnswer {
  resolve(messages: Message[]): void
  reject(error: Error): void
  timer: ReturnType<typeof setTimeout>
}

/**
 * ParleyService, served to one connected renderer: one WebSocket, or one page loaded in an Electron window. Both
 * transports hand it validated frames (`readClientFrame`) and give it a way to send; it keeps that renderer's event
 * stream and history answerer, and drops both when the renderer goes away.
 */
export class BridgeSession {
  private unsubscribe: (() => void) | undefined
  private detachHistory: (() => void) | undefined
  private readonly waiting = new Map<number, WaitingAnswer>()
  private nextHistoryId = 1
  private closed = false
  private readonly historyTimeoutMs: number

  constructor(
    private readonly service: ParleyService,
    private readonly send: SendFrame,
    options: BridgeSessionOptions = {}
  ) {
    this.historyTimeoutMs = options.historyTimeoutMs ?? 60_000
  }

  receive(frame: ClientFrame): void {
    if (this.closed) return
    switch (frame.kind) {
      case 'call':
        void this.call(frame.id, frame.method, frame.args)
        return
      case 'subscribe':
        // A second subscribe replaces the first: the renderer asks again from an earlier seq when a new listener
        // needs a replay.
        this.unsubscribe?.()
        this.unsubscribe = this.service.subscribe(frame.since, (event) => this.send({ kind: 'event', event }))
        return
      case 'unsubscribe':
        this.unsubscribe?.()
        this.unsubscribe = undefined
        return
      case 'history.attach':
        this.detachHistory ??= this.service.answerHistory((request) => this.askForHistory(request))
        return
      case 'history.detach':
        this.stopAnsweringHistory('The window stopped answering history requests.')
        return
      case 'history.answer':
        this.settle(frame.id, (waiting) => waiting.resolve(frame.messages))
        return
      case 'history.failed':
        this.settle(frame.id, (waiting) => waiting.reject(new ParleyError(frame.error.code, frame.error.message)))
        return
    }
  }

  /** A frame that could not be read gets a typed error; a broken history answer also ends that wait at once. */
  refuse(problem: FrameProblem): void {
    if (this.closed) return
    if (problem.historyId !== null && this.waiting.has(problem.historyId)) {
      this.finish(problem.historyId).reject(new ParleyError(problem.error.code, problem.error.message))
    }
    this.send({ kind: 'error', id: problem.callId, error: problem.error })
  }

  /** The renderer went away: stop its stream, detach its answerer, and fail what it still owed. */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.unsubscribe?.()
    this.unsubscribe = undefined
    this.stopAnsweringHistory('The window went away before it answered.')
  }

  private async call(id: number, method: string, args: unknown[]): Promise<void> {
    const outcome = await dispatch(this.service, method, args)
    if (this.closed) return
    if (outcome.ok) void this.send({ kind: 'result', id, result: outcome.result })
    else void this.send({ kind: 'error', id, error: outcome.error })
  }

  private askForHistory(request: HistoryRequest): Promise<Message[]> {
    const id = this.nextHistoryId++
    return new Promise<Message[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.finish(id).reject(new ParleyError('Internal', `The window did not answer history request ${id} in time.`))
      }, this.historyTimeoutMs)
      this.waiting.set(id, { resolve, reject, timer })
      void this.send({ kind: 'history.request', id, request })
    })
  }

  private settle(id: number, outcome: (waiting: WaitingAnswer) => void): void {
    if (!this.waiting.has(id)) {
      const message = `No history request ${id} is waiting for an answer (it may have timed out).`
      void this.send({ kind: 'error', id: null, error: { code: 'BadRequest', message } })
      return
    }
    outcome(this.finish(id))
  }

  /** Forgets a waiting request and hands it back to be settled. The caller has checked that it waits. */
  private finish(id: number): WaitingAnswer {
    const waiting = this.waiting.get(id) as WaitingAnswer
    clearTimeout(waiting.timer)
    this.waiting.delete(id)
    return waiting
  }

  private stopAnsweringHistory(reason: string): void {
    this.detachHistory?.()
    this.detachHistory = undefined
    for (const id of [...this.waiting.keys()]) this.finish(id).reject(new ParleyError('Disconnected', reason))
  }
}


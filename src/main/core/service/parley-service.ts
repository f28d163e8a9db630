import {
  archiveRefusal,
  ParleyError,
  sinceRefusal,
  sinceSchema,
  readArchive,
  uploadPartBytes,
  type AttachmentPart,
  type AttachmentData,
  type ChatArchive,
  type AttachmentRef,
  type AttachmentUpload,
  type AttachmentUploadStart,
  type StoredAttachment,
  type DataRecovery,
  type ImportResult,
  type VisionSupport,
  type Call,
  type EnqueueResult,
  type HistoryPage,
  type HistorySnapshotRequest,
  type ChatListItem,
  type ChatListRequest,
  type HistoryState,
  type ParleyEvent,
  type ProviderRef,
  type ProviderTest,
  type RunComplete,
  type Session,
  type SessionOptionsPatch,
  type SettingsPatch,
  type SettingsView,
  type Status,
  type WindowCopy
} from '../../../shared'
import type { RunWaits } from '../agent/run-waits'
import type { SessionAgent } from '../agent/session-agent'
import type { AttachmentStore } from '../attachments/attachment-store'
import { PartUploads } from '../attachments/part-uploads'
import { modelLoading, modelsInMemory } from '../providers/model-loading'
import { modelVision } from '../providers/model-vision'
import { servedContext } from '../providers/served-context'
import type { EventBroker } from '../events/event-broker'
import { gatedListener } from '../events/gated-listener'
import { classifyProviderError } from '../providers/errors'
import { describeModelsListFailure } from '../providers/models-list-failure'
import type { SecretStore } from '../settings/secret-store'
import type { SettingsStore } from '../settings/settings-store'
import type { MainJournal } from '../journal/main-journal'
import type { ReachabilityMonitor } from '../reachability/reachability-monitor'
import type { ModelPool } from './model-pool'
import type { HistorySnapshots } from '../history/history-snapshots'
import type { LogRestoreMark } from '../history/log-restore'

export interface ParleyServiceDeps {
  agent: SessionAgent
  broker: EventBroker
  settings: SettingsStore
  secrets: SecretStore
  /** The keys, loaded from the secret store at start, kept in step by updateSettings. */
  keys: Map<string, string>
  models: ModelPool
  reachability: ReachabilityMonitor
  /** The outbox: events leave it when the renderer acknowledges them (rule F3). */
  journal: MainJournal
  /**
   * Main's session log: an event leaves the outbox only once the log's write of it is committed too. It also keeps
   * the last 10,000 runs' outcomes, for `awaitRun` beyond what the journal keeps (G4).
   */
  sessionLog: { written(): Promise<void>; outcome(runId: string): RunComplete | undefined }
  /** Main's chat list on disk (sessions.json): likewise, an event leaves the outbox only once the list has it. */
  sessionList: { saved(): Promise<void>; flush(): Promise<void> }
  /** The data folder's files found damaged at start (settings, chats, keys, journal), for the window's banner. */
  recovered: readonly DataRecovery[]
  /** Main's history in pages, for a window that lost its IndexedDB. */
  snapshots: HistorySnapshots
  /** Main's attachment files (issue 14). */
  attachments: AttachmentStore
  /** Whether main waits for a window's copy of what its replaced message store lost (absent: never). */
  logRestore?: Pick<LogRestoreMark, 'wanted' | 'done'>
  /** What each chat's active run waits on before its first token (C4, C6), for `status()`; absent: nothing said. */
  runWaits?: Pick<RunWaits, 'of'>
}

/**
 * The server side of ParleyApi: what both transports (Electron IPC and the WebSocket host) call once they have
 * validated a payload. Every method takes already-parsed arguments.
 */
export class ParleyService {
  private lastAcked = 0

  /** Large files arriving in parts (attachments/part-uploads.ts). */
  private readonly uploads: PartUploads

  constructor(private readonly deps: ParleyServiceDeps) {
    this.uploads = new PartUploads(deps.attachments)
  }

  /** Answers once the prompt is durably accepted (G1): group commit makes that one shared fsync, off the main thread. */
  async enqueue(call: Call): Promise<EnqueueResult> {
    this.refuseEnded(call)
    const accepted = this.deps.agent.enqueue(hasUploads(call) ? await this.storeUploads(call) : call)
    await this.deps.journal.durable()
    return accepted
  }

  /** Answers once the run's end and outcome are durable (G4), never with an outcome a crash could take back. */
  run(call: Call): Promise<RunComplete> {
    try {
      this.refuseEnded(call)
    } catch (error) {
      return Promise.reject(error)
    }
    if (hasUploads(call)) return this.storeUploads(call).then((stored) => this.durably(this.deps.agent.runToCompletion(stored)))
    return this.durably(this.deps.agent.runToCompletion(call))
  }

  /**
   * Issue 14: a call's inline bytes are stored (each checked as `putAttachment` checks it) and turned into refs
   * before the agent sees the call, so the journal and the queue only ever hold refs. A call with refs only reaches
   * the agent with no await (rule A2); one with inline bytes is accepted once they are stored, so a call sent after
   * it in the same tick may be accepted first. Refused whole if any file is refused (a file stored before the refusal
   * stays until the sweep: nothing uses it).
   */
  private async storeUploads(call: Call): Promise<Call> {
    this.deps.agent.sessions.require(call.sessionId)
    const attachments: AttachmentRef[] = []
    for (const attachment of call.attachments ?? []) {
      attachments.push('id' in attachment ? attachment : await this.deps.attachments.put(attachment))
    }
    return { ...call, attachments }
  }

  /**
   * Stores one file in main's data folder, once by its SHA-256, and answers its ref (refusals in attachment-kind.ts).
   * The window attaches it to a prompt not sent yet: it is held until a call uses it, so deleting another chat with
   * the same bytes doesn't take it away meanwhile.
   */
  async putAttachment(upload: AttachmentUpload): Promise<StoredAttachment> {
    return this.heldForPrompt(await this.deps.attachments.put(upload))
  }

  beginAttachment(start: AttachmentUploadStart): Promise<string> {
    return Promise.resolve(this.uploads.begin(start))
  }

  appendAttachment(uploadId: string, offset: number, dataBase64: string): Promise<number> {
    return Promise.resolve(this.uploads.append(uploadId, offset, dataBase64))
  }

  /** The file whole, stored and held for the prompt being written, as `putAttachment` does. */
  async finishAttachment(uploadId: string): Promise<StoredAttachment> {
    return this.heldForPrompt(await this.uploads.finish(uploadId))
  }

  /** A file just stored, held for the prompt being written, with what its chip warns of (a PDF with no text). */
  private async heldForPrompt(ref: AttachmentRef): Promise<StoredAttachment> {
    this.deps.attachments.hold(ref.id)
    const warning = await this.deps.attachments.warningOf(ref.id)
    return warning === undefined ? { ref } : { ref, warning }
  }

  /** A kept draft's files, held again for it: answers those still stored (AttachmentStore.holdKept). */
  holdAttachments(ids: readonly string[]): Promise<string[]> {
    return Promise.resolve(this.deps.attachments.holdKept(ids))
  }

  async readAttachmentPart(id: string, offset: number): Promise<AttachmentPart> {
    const { ref, bytes } = await this.deps.attachments.readPart(id, offset, uploadPartBytes)
    return { ref, offset, dataBase64: bytes.toString('base64') }
  }

  async readAttachment(id: string): Promise<AttachmentData> {
    const { ref, bytes } = await this.deps.attachments.read(id)
    return { ref, dataBase64: bytes.toString('base64') }
  }

  /** Whether a model reads images, from what its provider reports (providers/model-vision.ts). */
  async modelVision(providerId: string, model: string): Promise<VisionSupport> {
    const config = this.deps.settings.get().providers.find((p) => p.id === providerId)
    if (!config) throw new ParleyError('BadRequest', `There is no provider "${providerId}" in the settings.`)
    return modelVision(config, model)
  }

  /** B2: the context the provider's server says it runs the model with, asked now (providers/served-context.ts). */
  async servedContext(providerId: string, model: string): Promise<number | null> {
    const config = this.deps.settings.get().providers.find((p) => p.id === providerId)
    if (!config) throw new ParleyError('BadRequest', `There is no provider "${providerId}" in the settings.`)
    return (await servedContext(config, model, { apiKey: this.deps.keys.get(providerId) })).size ?? null
  }

  /**
   * G4: the RunComplete of a run main accepted, for a caller that lost the answer to its `run` (a dropped
   * connection, a restart of main). A run that is active, queued or waiting answers when it ends; one that ended
   * answers at once with its outcome, from the journal (the last 1,000, with their text) or the session log (the
   * last 10,000, text read back from the run's message). Anything else is `RunUnknown`: main never accepted it, or
   * forgot it.
   */
  awaitRun(runId: string): Promise<RunComplete> {
    const running = this.deps.agent.completion(runId)
    if (running) return this.durably(running)
    const ended = this.outcome(runId)
    if (ended) return Promise.resolve(ended)
    const why = 'main never accepted it (or it ended more than 10,000 runs ago)'
    return Promise.reject(new ParleyError('RunUnknown', `Parley knows no run with the id ${runId}: ${why}.`))
  }

  async ack(seq: number): Promise<void> {
    const published = this.deps.broker.lastSeq
    if (seq > published) {
      // Written to the journal, an ack from the future would drop events no window has, and a restart would start
      // numbering after it (at 2^53 the seq no longer increases).
      throw new ParleyError('SeqAhead', `Parley has published events only up to seq ${published}; it can't take an ack for seq ${seq}.`)
    }
    if (seq <= this.lastAcked) return
    this.lastAcked = seq
    // The log hears every event before any window does, but writes it asynchronously: until that write is
    // committed, the journal keeps the event, so a crash in between replays it to the log (H1 after a restart).
    // The same for the chat list, which is written at most once a second (issue 13).
    await Promise.all([this.deps.sessionLog.written(), this.deps.sessionList.saved()])
    this.deps.journal.ack(seq)
  }

  get acknowledged(): number {
    return this.lastAcked
  }

  /**
   * D1, answered once what it did is durable (G1, G4): the queued prompts' removal, and the stopped answer's end with
   * its outcome. Answered earlier, a crash took a cancel back that the caller had been told of: the removed prompts
   * ran after the restart, and the stopped answer came back `interrupted`.
   */
  async cancel(sessionId: string): Promise<void> {
    const stopping = this.deps.agent.activeTurn(sessionId)
    this.deps.agent.cancel(sessionId)
    await stopping
    await this.deps.journal.durable()
  }

  /** D2, answered once the removal, or the stopped answer's end, is durable (as `cancel`). */
  async cancelRun(runId: string): Promise<boolean> {
    const stopping = this.deps.agent.turnOf(runId)
    const known = this.deps.agent.cancelRun(runId)
    await stopping
    await this.deps.journal.durable()
    return known
  }

  /** A8: a window has sent the removals it kept: the prompts a restart brought back may start. */
  async windowReady(): Promise<void> {
    this.deps.agent.windowReady()
  }

  /** D3, answered once the removals are durable (G1). */
  async clearQueue(sessionId: string): Promise<number> {
    const removed = this.deps.agent.clearQueue(sessionId)
    await this.deps.journal.durable()
    return removed
  }

  async status(): Promise<Status> {
    const { agent, broker } = this.deps
    return {
      sessions: agent.busySessions().map((sessionId) => {
        const active = agent.activeRunId(sessionId)
        // C4, C6: a rate limit's next try and a model loading into memory, so a window reloaded meanwhile says them.
        const wait = this.deps.runWaits?.of(sessionId, active) ?? {}
        return {
          sessionId,
          busy: agent.isSessionBusy(sessionId),
          ...(active ? { activeRunId: active } : {}),
          queue: agent.queuedPromptList(sessionId),
          ...wait
        }
      }),
      // null: not known to be down (no connection has failed); false: down and being probed (rule C3).
      // C6: `state` says whether a provider that is down can't be reached or is loading its model.
      providers: this.providerStatus(),
      lastSeq: broker.lastSeq
    }
  }

  private providerStatus(): Status['providers'] {
    const troubles = this.deps.reachability.troubles()
    return this.deps.settings.get().providers.map((p) => {
      const state = troubles.get(p.id)
      return state === undefined ? { providerId: p.id, reachable: null } : { providerId: p.id, reachable: false, state }
    })
  }

  async createSession(options: { title?: string }): Promise<Session> {
    // Answered once its session.created is durable in the journal: the chat list on disk follows within a second.
    return this.durably(Promise.resolve(this.deps.agent.createSession(options.title ? { title: options.title } : {})))
  }

  async renameSession(sessionId: string, title: string): Promise<void> {
    this.deps.agent.renameSession(sessionId, title)
    await this.deps.journal.durable()
  }

  /** A chat's own options; a model of a provider that isn't configured is refused, and changes nothing. */
  async updateSession(sessionId: string, patch: SessionOptionsPatch): Promise<Session> {
    const providerId = patch.model?.providerId
    if (providerId !== undefined && !this.deps.settings.get().providers.some((p) => p.id === providerId)) {
      throw new ParleyError('BadRequest', `There is no provider "${providerId}" in the settings to take a model from.`)
    }
    return this.durably(Promise.resolve(this.deps.agent.updateSession(sessionId, patch)))
  }

  async switchBranch(sessionId: string, messageId: string): Promise<string> {
    return this.durably(Promise.resolve(this.deps.agent.switchBranch(sessionId, messageId)))
  }

  async deleteMessages(sessionId: string, messageId: string): Promise<string | null> {
    return this.durably(Promise.resolve(this.deps.agent.deleteMessages(sessionId, messageId)))
  }

  /**
   * Imports an archive (docs/export-format.md): the whole file is read first, and a file with any problem is refused
   * whole (`ArchiveInvalid`, each problem with where it is); then the chats main doesn't have are added.
   */
  async importChats(file: unknown): Promise<ImportResult> {
    const reading = readArchive(file)
    if (!reading.ok) throw new ParleyError('ArchiveInvalid', archiveRefusal(reading.problems))
    await this.storeArchivedFiles(reading.archive)
    const result = await this.durably(this.deps.agent.importChats(reading.archive))
    // The import's last chats would wait out the list's delay: the caller's next batch waits for this answer.
    await this.deps.sessionList.flush()
    return result
  }

  /**
   * Issue 14: an archive's files are stored first, each checked as `putAttachment` checks it, and each must be the
   * bytes its id names; any problem refuses the whole archive (files stored before it stay until the start's sweep).
   */
  private async storeArchivedFiles(archive: ChatArchive): Promise<void> {
    const problems: string[] = []
    for (const [index, file] of (archive.attachments ?? []).entries()) {
      try {
        const ref = await this.deps.attachments.put({ name: file.name, mimeType: file.mimeType, dataBase64: file.dataBase64 })
        if (ref.id !== file.id) problems.push(`attachments[${index}]: ${file.name}'s bytes are not the file its id ${file.id.slice(0, 12)}… names`)
      } catch (error) {
        if (!(error instanceof ParleyError)) throw error
        problems.push(`attachments[${index}]: ${error.message}`)
      }
      if (problems.length >= 20) break
    }
    if (problems.length > 0) throw new ParleyError('ArchiveInvalid', archiveRefusal(problems))
  }

  async deleteSession(sessionId: string): Promise<void> {
    this.deps.agent.deleteSession(sessionId)
    await this.deps.journal.durable()
  }

  async getSettings(): Promise<SettingsView> {
    const settings = this.deps.settings.get()
    const apiKeys: Record<string, boolean> = {}
    for (const provider of settings.providers) apiKeys[provider.id] = this.deps.keys.has(provider.id)
    const view: SettingsView = { ...settings, apiKeys }
    if (this.deps.secrets.weakness) view.secretsWarning = this.deps.secrets.weakness
    if (this.deps.recovered.length > 0) view.recovered = [...this.deps.recovered]
    return view
  }

  async updateSettings(patch: SettingsPatch): Promise<SettingsView> {
    const { apiKey, ...rest } = patch
    let changed = false
    try {
      if (Object.keys(rest).length > 0) {
        this.deps.settings.update(rest)
        changed = true
      }
      if (apiKey) {
        await this.storeKey(apiKey)
        changed = true
      }
    } finally {
      // Every window (this one too) reads the settings again: the chat header names the model that answers now. Also
      // after a refused key, when the rest of the patch was saved before it.
      if (changed) this.deps.broker.publish({ type: 'settings.changed' })
    }
    return this.getSettings()
  }

  private async storeKey(apiKey: NonNullable<SettingsPatch['apiKey']>): Promise<void> {
    if (!this.deps.settings.get().providers.some((p) => p.id === apiKey.providerId)) {
      throw new ParleyError('BadRequest', `There is no provider "${apiKey.providerId}" to set a key for.`)
    }
    const key = apiKey.key?.trim() || null
    try {
      await this.deps.secrets.set(apiKey.providerId, key)
    } catch (error) {
      throw new ParleyError('BadRequest', error instanceof Error ? error.message : 'The API key could not be stored.')
    }
    if (key) this.deps.keys.set(apiKey.providerId, key)
    else this.deps.keys.delete(apiKey.providerId)
  }

  async listModels(target: ProviderRef): Promise<string[]> {
    try {
      return await this.deps.models.providerFor(target).listModels(AbortSignal.timeout(10_000))
    } catch (error) {
      if (error instanceof ParleyError) throw error
      throw new ParleyError('BadRequest', this.modelsListFailure(target, error))
    }
  }

  async testProvider(target: ProviderRef): Promise<ProviderTest> {
    try {
      const models = await this.deps.models.providerFor(target).listModels(AbortSignal.timeout(10_000))
      const [loading, inMemory] = await Promise.all([this.loadingOf(target), this.inMemoryOf(target)])
      const said = inMemory === undefined ? {} : { inMemory }
      if (loading === undefined) return { ok: true, message: `Connected: the server offers ${models.length} model(s).`, models, ...said }
      return {
        ok: true,
        message: `Connected: the server offers ${models.length} model(s) but is still loading one (it answered 503: ${loading.replace(/[.!?]+$/, '')}). Prompts wait until it is ready.`,
        models,
        loading,
        ...said
      }
    } catch (error) {
      if (error instanceof ParleyError) throw error
      return { ok: false, message: this.modelsListFailure(target, error), models: [] }
    }
  }

  /** C6: whether a server that answered its model list is still loading a model (its words), asked of local ones only. */
  private loadingOf(target: ProviderRef): Promise<string | undefined> {
    const openai = this.openAiTarget(target)
    return openai ? modelLoading(openai.baseUrl, { apiKey: openai.apiKey }) : Promise.resolve(undefined)
  }

  /** The models a local server (Ollama, LM Studio) has in memory now, when it says which; asked at once with `loadingOf`. */
  private inMemoryOf(target: ProviderRef): Promise<string[] | undefined> {
    const openai = this.openAiTarget(target)
    return openai ? modelsInMemory(openai.baseUrl, { apiKey: openai.apiKey }) : Promise.resolve(undefined)
  }

  /** Where an OpenAI-compatible target (saved, or as typed) is, and its key; undefined for another kind. */
  private openAiTarget(target: ProviderRef): { baseUrl: string; apiKey: string | undefined } | undefined {
    if (typeof target === 'string') {
      const config = this.deps.settings.get().providers.find((p) => p.id === target)
      return config?.kind === 'openai' ? { baseUrl: config.baseUrl, apiKey: this.deps.keys.get(target) } : undefined
    }
    if (target.kind !== 'openai') return undefined
    return { baseUrl: target.baseUrl, apiKey: target.apiKey ?? (target.providerId === undefined ? undefined : this.deps.keys.get(target.providerId)) }
  }

  /** Why a provider (saved, or as typed) could not list its models, as Test and the model lists say it. */
  private modelsListFailure(target: ProviderRef, error: unknown): string {
    const kind = typeof target === 'string' ? this.deps.settings.get().providers.find((p) => p.id === target)?.kind : target.kind
    return describeModelsListFailure(classifyProviderError(error), kind)
  }

  async probeNow(): Promise<void> {
    this.deps.reachability.probeNow()
  }

  /**
   * A window behind `replayableAfter` can't catch up by replay: the events it lacks left the outbox (another window
   * acknowledged them, or its IndexedDB was lost after it had) or the broker's ring.
   */
  async historyState(): Promise<HistoryState> {
    const { journal, broker, agent, logRestore } = this.deps
    return {
      replayableAfter: Math.max(journal.replayableAfter, broker.droppedThrough),
      sessions: agent.sessions.size,
      ...(logRestore?.wanted ? { logRestoreWanted: true } : {})
    }
  }

  /** A window's copy of chats, put back into main's log while main waits for it (`chat-restore.ts`); else nothing. */
  async restoreLog(copy: WindowCopy): Promise<ImportResult> {
    if (!this.deps.logRestore?.wanted) return { imported: 0, skipped: copy.chats.length, messages: 0 }
    const result = await this.durably(Promise.resolve(this.deps.agent.restoreChats(copy.chats)))
    await this.deps.sessionList.saved()
    return result
  }

  async finishLogRestore(): Promise<void> {
    this.deps.logRestore?.done()
  }

  async historySnapshot(request: HistorySnapshotRequest): Promise<HistoryPage> {
    return this.deps.snapshots.page(request.cursor, request.sessionId)
  }

  async listChats(request: ChatListRequest): Promise<ChatListItem[]> {
    return this.deps.snapshots.chats(request.limit)
  }

  /** What a call answers, once everything main has journaled by then is durable. */
  private async durably<T>(answer: Promise<T>): Promise<T> {
    const value = await answer
    await this.deps.journal.durable()
    return value
  }

  /** The outcome of a run that ended, if main still remembers it. */
  private outcome(runId: string): RunComplete | undefined {
    return this.deps.journal.outcome(runId) ?? this.deps.sessionLog.outcome(runId)
  }

  /**
   * A7 across restarts: the agent refuses a runId it saw end in this lifetime; this also refuses one whose outcome
   * main kept from an earlier lifetime, so a caller that sends `run` again after a restart never runs it twice.
   */
  private refuseEnded(call: Call): void {
    if (call.runId !== undefined && this.outcome(call.runId)) {
      throw new ParleyError('DuplicateRunId', `A prompt with the run id ${call.runId} was already accepted, and it has ended.`)
    }
  }

  /**
   * Every retained event after `since`, then the live ones, each once the journal records it depends on are durable
   * (`MainJournal.gate`): a crash never takes back what a subscriber heard (B5, G3, G4). A renderer that has seen more
   * than this main has published (main restarted) moves main's seq past it, so no seq is ever reused.
   */
  subscribe(since: number, listener: (event: ParleyEvent) => void | Promise<void>): () => void {
    if (!sinceSchema.safeParse(since).success) throw new ParleyError('BadRequest', sinceRefusal)
    if (since > this.deps.broker.lastSeq) this.deps.broker.resumeAfter(since)
    return this.deps.broker.subscribe({ since }, gatedListener((seq) => this.deps.journal.gate(seq), listener))
  }

}

/** Whether a call carries any file's bytes (not only refs to files main holds). */
function hasUploads(call: Call): boolean {
  return call.attachments?.some((attachment) => !('id' in attachment)) ?? false
}

import {
  ParleyError,
  uploadPartBytes,
  defaultSettings,
  patchedOptions,
  type Call,
  type EnqueueResult,
  type EventBody,
  type ChatListItem,
  type ChatListRequest,
  type HistoryPage,
  type HistorySnapshotRequest,
  type HistoryState,
  type ImportResult,
  type ParleyApi,
  type ParleyEvent,
  type ProviderRef,
  type ProviderTest,
  type AttachmentData,
  type AttachmentRef,
  type AttachmentUpload,
  type AttachmentUploadStart,
  type AttachmentPart,
  type StoredAttachment,
  type VisionSupport,
  type RunComplete,
  type Session,
  type SessionOptionsPatch,
  type SettingsPatch,
  type SettingsView,
  type Status,
  type WindowCopy
} from '../../../shared'

type Listener = (event: ParleyEvent) => void

/**
 * A stand-in for main in renderer tests: it stamps and keeps every event it publishes, replays them to subscribers
 * from `since` (a microtask later, as a real transport would), and records acks and calls. Methods a test doesn't
 * script answer with plain defaults.
 */
export class FakeParleyApi implements ParleyApi {
  readonly published: ParleyEvent[] = []
  readonly acks: number[] = []
  readonly calls: { method: string; args: unknown[] }[] = []
  private readonly listeners = new Set<Listener>()
  private seq = 0
  private clock = 1_000

  /** Replaces `enqueue`'s answer; the default starts the run at once. */
  enqueueAnswer: (call: Call) => Promise<EnqueueResult> = async (call) => ({
    runId: call.runId ?? 'minted-run',
    state: 'active',
    position: 0
  })

  /** Stamps an event with the next seq and delivers it to every subscriber now. */
  publish(body: EventBody, at?: number): ParleyEvent {
    this.seq += 1
    this.clock = at ?? this.clock + 1
    const event = { ...body, seq: this.seq, at: this.clock } as ParleyEvent
    this.published.push(event)
    for (const listener of this.listeners) listener(event)
    return event
  }

  /** Delivers already published events again, as a main replaying its outbox would. */
  redeliver(events: readonly ParleyEvent[]): void {
    for (const event of events) for (const listener of this.listeners) listener(event)
  }

  get lastAck(): number {
    return this.acks[this.acks.length - 1] ?? 0
  }

  subscribe(options: { since: number }, listener: Listener): () => void {
    this.calls.push({ method: 'subscribe', args: [options] })
    this.listeners.add(listener)
    const backlog = this.published.filter((event) => event.seq > options.since)
    queueMicrotask(() => {
      if (this.listeners.has(listener)) for (const event of backlog) listener(event)
    })
    return () => {
      this.listeners.delete(listener)
    }
  }

  async ack(seq: number): Promise<void> {
    this.acks.push(seq)
  }

  async enqueue(call: Call): Promise<EnqueueResult> {
    this.calls.push({ method: 'enqueue', args: [call] })
    return this.enqueueAnswer(call)
  }

  async run(call: Call): Promise<RunComplete> {
    this.calls.push({ method: 'run', args: [call] })
    return { runId: call.runId ?? 'minted-run', sessionId: call.sessionId, text: '', cancelled: false }
  }

  async awaitRun(runId: string): Promise<RunComplete> {
    this.calls.push({ method: 'awaitRun', args: [runId] })
    return { runId, sessionId: 'fake-session', text: '', cancelled: false }
  }

  async cancel(sessionId: string): Promise<void> {
    this.calls.push({ method: 'cancel', args: [sessionId] })
  }

  async cancelRun(runId: string): Promise<boolean> {
    this.calls.push({ method: 'cancelRun', args: [runId] })
    return true
  }

  async windowReady(): Promise<void> {
    this.calls.push({ method: 'windowReady', args: [] })
  }

  async probeNow(): Promise<void> {
    this.calls.push({ method: 'probeNow', args: [] })
  }

  /** Replaces `historyState`'s answer; the default says every event can be replayed. */
  historyStateAnswer: () => Promise<HistoryState> = async () => ({ replayableAfter: 0, sessions: 0 })

  /** Replaces `historySnapshot`'s answer; the default is an empty history at the current seq. */
  historySnapshotAnswer: (request: HistorySnapshotRequest) => Promise<HistoryPage> = async () => ({
    seq: this.seq,
    sessions: [],
    messages: [],
    totals: { sessions: 0, messages: 0 },
    next: null
  })

  historyState(): Promise<HistoryState> {
    this.calls.push({ method: 'historyState', args: [] })
    return this.historyStateAnswer()
  }

  historySnapshot(request: HistorySnapshotRequest): Promise<HistoryPage> {
    this.calls.push({ method: 'historySnapshot', args: [request] })
    return this.historySnapshotAnswer(request)
  }

  /** The window never lists chats this way (the command line does): no chats. */
  async listChats(request: ChatListRequest): Promise<ChatListItem[]> {
    this.calls.push({ method: 'listChats', args: [request] })
    return []
  }

  async clearQueue(sessionId: string): Promise<number> {
    this.calls.push({ method: 'clearQueue', args: [sessionId] })
    return 0
  }

  async status(): Promise<Status> {
    return { sessions: [], providers: [], lastSeq: this.seq }
  }

  async createSession(options: { title?: string }): Promise<Session> {
    this.calls.push({ method: 'createSession', args: [options] })
    const session: Session = { id: `session-${this.seq + 1}`, title: options.title ?? null, createdAt: 1, updatedAt: 1 }
    this.publish({ type: 'session.created', session })
    return session
  }

  async renameSession(sessionId: string, title: string): Promise<void> {
    this.calls.push({ method: 'renameSession', args: [sessionId, title] })
  }

  async deleteSession(sessionId: string): Promise<void> {
    this.calls.push({ method: 'deleteSession', args: [sessionId] })
  }

  async updateSession(sessionId: string, patch: SessionOptionsPatch): Promise<Session> {
    this.calls.push({ method: 'updateSession', args: [sessionId, patch] })
    return { id: sessionId, title: null, createdAt: 1, updatedAt: 1, options: patchedOptions(undefined, patch) }
  }

  async switchBranch(sessionId: string, messageId: string): Promise<string> {
    this.calls.push({ method: 'switchBranch', args: [sessionId, messageId] })
    return messageId
  }

  async deleteMessages(sessionId: string, messageId: string): Promise<string | null> {
    this.calls.push({ method: 'deleteMessages', args: [sessionId, messageId] })
    return null
  }

  /** Replaces `importChats`'s answer; the default imports nothing. */
  importAnswer: (archive: unknown) => Promise<ImportResult> = async () => ({ imported: 0, skipped: 0, messages: 0 })

  async importChats(archive: unknown): Promise<ImportResult> {
    this.calls.push({ method: 'importChats', args: [archive] })
    return this.importAnswer(archive)
  }

  /** Replaces `restoreLog`'s answer; the default puts back every message it is sent, in chats it already had. */
  restoreLogAnswer: (copy: WindowCopy) => Promise<ImportResult> = async (copy) => ({
    imported: 0,
    skipped: copy.chats.length,
    messages: copy.chats.reduce((sum, chat) => sum + chat.messages.length, 0)
  })

  async restoreLog(copy: WindowCopy): Promise<ImportResult> {
    this.calls.push({ method: 'restoreLog', args: [copy] })
    return this.restoreLogAnswer(copy)
  }

  async finishLogRestore(): Promise<void> {
    this.calls.push({ method: 'finishLogRestore', args: [] })
  }

  async getSettings(): Promise<SettingsView> {
    return { ...defaultSettings(), apiKeys: {} }
  }

  async updateSettings(patch: SettingsPatch): Promise<SettingsView> {
    this.calls.push({ method: 'updateSettings', args: [patch] })
    return this.getSettings()
  }

  async listModels(provider: ProviderRef): Promise<string[]> {
    this.calls.push({ method: 'listModels', args: [provider] })
    return []
  }

  async testProvider(provider: ProviderRef): Promise<ProviderTest> {
    this.calls.push({ method: 'testProvider', args: [provider] })
    return { ok: true, message: 'ok', models: [] }
  }

  /** What `putAttachment` stored, by id: `readAttachment` answers from here. */
  readonly attachments = new Map<string, AttachmentData>()

  /** Replaces `putAttachment`'s answer; the default keeps the bytes under a made-up id and calls them a text file. */
  putAttachmentAnswer: (upload: AttachmentUpload) => Promise<StoredAttachment> = async (upload) => {
    const id = (this.attachments.size + 1).toString(16).padStart(64, '0')
    const ref: AttachmentRef = {
      id,
      name: upload.name,
      mimeType: upload.mimeType || 'application/octet-stream',
      size: Math.floor((upload.dataBase64.length * 3) / 4),
      kind: upload.mimeType.startsWith('image/') ? 'image' : upload.mimeType === 'application/pdf' ? 'pdf' : 'text'
    }
    this.attachments.set(id, { ref, dataBase64: upload.dataBase64 })
    return { ref }
  }

  async putAttachment(upload: AttachmentUpload): Promise<StoredAttachment> {
    this.calls.push({ method: 'putAttachment', args: [upload] })
    return this.putAttachmentAnswer(upload)
  }

  /** Parted uploads begun and not yet finished: what they announced, and their parts so far. */
  private readonly partedUploads = new Map<string, { start: AttachmentUploadStart; parts: string[] }>()

  async beginAttachment(start: AttachmentUploadStart): Promise<string> {
    this.calls.push({ method: 'beginAttachment', args: [start] })
    const uploadId = `upload-${this.partedUploads.size + 1}`
    this.partedUploads.set(uploadId, { start, parts: [] })
    return uploadId
  }

  async appendAttachment(uploadId: string, offset: number, dataBase64: string): Promise<number> {
    this.calls.push({ method: 'appendAttachment', args: [uploadId, offset, dataBase64] })
    const upload = this.partedUploads.get(uploadId)
    if (!upload) throw new ParleyError('BadRequest', 'That upload is not open.')
    upload.parts.push(dataBase64)
    return upload.parts.reduce((bytes, part) => bytes + atob(part).length, 0)
  }

  /** The parts joined, answered as `putAttachmentAnswer` answers one upload. */
  async finishAttachment(uploadId: string): Promise<StoredAttachment> {
    this.calls.push({ method: 'finishAttachment', args: [uploadId] })
    const upload = this.partedUploads.get(uploadId)
    if (!upload) throw new ParleyError('BadRequest', 'That upload is not open.')
    this.partedUploads.delete(uploadId)
    // Every part but the last is a whole number of 3-byte groups: their base64 joins as the file's.
    return this.putAttachmentAnswer({ name: upload.start.name, mimeType: upload.start.mimeType, dataBase64: upload.parts.join('') })
  }

  /** A part of what `putAttachment` stored, as main answers it (parts of `uploadPartBytes`, base64 joined). */
  async readAttachmentPart(id: string, offset: number): Promise<AttachmentPart> {
    this.calls.push({ method: 'readAttachmentPart', args: [id, offset] })
    const data = this.attachments.get(id)
    if (!data) throw new ParleyError('AttachmentMissing', 'That attachment is no longer in Parley’s data folder.')
    const chars = (uploadPartBytes / 3) * 4
    const from = (offset / uploadPartBytes) * chars
    return { ref: data.ref, offset, dataBase64: data.dataBase64.slice(from, from + chars) }
  }

  /** Answers the ids `putAttachment` stored (a test deletes from `attachments` to have one swept). */
  async holdAttachments(ids: readonly string[]): Promise<string[]> {
    this.calls.push({ method: 'holdAttachments', args: [ids] })
    return ids.filter((id) => this.attachments.has(id))
  }

  async readAttachment(id: string): Promise<AttachmentData> {
    this.calls.push({ method: 'readAttachment', args: [id] })
    const data = this.attachments.get(id)
    if (!data) throw new ParleyError('AttachmentMissing', 'That attachment is no longer kept.')
    return data
  }

  /** What `modelVision` answers, by model; `unknown` for any other. */
  readonly vision = new Map<string, VisionSupport>()

  async modelVision(providerId: string, model: string): Promise<VisionSupport> {
    this.calls.push({ method: 'modelVision', args: [providerId, model] })
    return this.vision.get(model) ?? 'unknown'
  }

  /** What `servedContext` answers, by model; null for any other. */
  readonly served = new Map<string, number>()

  async servedContext(providerId: string, model: string): Promise<number | null> {
    this.calls.push({ method: 'servedContext', args: [providerId, model] })
    return this.served.get(model) ?? null
  }
}

import { z } from 'zod'
import {
  callSchema,
  enqueueResultSchema,
  idSchema,
  queuedPromptSchema,
  runCompleteSchema,
  type Call,
  type EnqueueResult,
  type RunComplete
} from './call'
import {
  attachmentDataSchema,
  attachmentLimits,
  attachmentIdSchema,
  attachmentPartSchema,
  attachmentUploadSchema,
  attachmentUploadStartSchema,
  storedAttachmentSchema,
  uploadIdSchema,
  uploadPartSchema,
  visionSupportSchema,
  type AttachmentData,
  type AttachmentPart,
  type AttachmentUpload,
  type AttachmentUploadStart,
  type StoredAttachment,
  type VisionSupport
} from './attachment'
import { importResultSchema, windowCopySchema, type ImportResult, type WindowCopy } from './chat-archive'
import { providerTroubleSchema, type ParleyEvent } from './events'
import {
  chatListItemSchema,
  chatListRequestSchema,
  historyPageSchema,
  historySnapshotRequestSchema,
  historyStateSchema,
  type ChatListItem,
  type ChatListRequest,
  type HistoryPage,
  type HistorySnapshotRequest,
  type HistoryState
} from './history-snapshot'
import { sessionOptionsPatchSchema, sessionSchema, type Session, type SessionOptionsPatch } from './session'
import {
  providerRefSchema,
  settingsPatchSchema,
  settingsViewSchema,
  type ProviderRef,
  type SettingsPatch,
  type SettingsView
} from './settings'

export type Unsubscribe = () => void

/**
 * The active run waits out a rate limit (rule C4): its latest `run.retrying`, with the time of the next try. Kept until
 * the answer's first token (or the run's end), as a window that saw the event keeps it.
 */
export const runRetryStatusSchema = z.object({
  runId: idSchema,
  attempt: z.number().int().positive(),
  /** When the next try goes out, in ms on main's clock (the event's `at` plus its `retryInSeconds`). */
  retryAt: z.number().nonnegative(),
  /** The provider's refusal, as a sentence. */
  detail: z.string(),
  /** 429 (rate limited) or 529 (the server is overloaded). */
  status: z.number().int().optional()
})
export type RunRetryStatus = z.infer<typeof runRetryStatusSchema>

/** The active run's server is loading the model into memory for it (rule C6, `run.loading`), until its first token. */
export const runLoadingStatusSchema = z.object({
  runId: idSchema,
  /** "Ollama is loading llama3.2 into memory (the first answer after a start takes longer)." */
  detail: z.string()
})
export type RunLoadingStatus = z.infer<typeof runLoadingStatusSchema>

export const statusSchema = z.object({
  sessions: z.array(
    z.object({
      sessionId: idSchema,
      busy: z.boolean(),
      activeRunId: idSchema.optional(),
      queue: z.array(queuedPromptSchema),
      /** Set while the active run waits out a rate limit, until its answer starts (C4). */
      retry: runRetryStatusSchema.optional(),
      /** Set while the active run's model is loaded into memory for it, until its answer starts (C6). */
      loading: runLoadingStatusSchema.optional()
    })
  ),
  providers: z.array(
    z.object({
      providerId: z.string(),
      reachable: z.boolean().nullable(),
      /** Why it is down, while `reachable` is false (rules C3, C6). */
      state: providerTroubleSchema.optional()
    })
  ),
  lastSeq: z.number().int().nonnegative()
})
export type Status = z.infer<typeof statusSchema>

export const providerTestSchema = z.object({
  ok: z.boolean(),
  message: z.string(),
  models: z.array(z.string()),
  /** It lists its models but is still loading one (rule C6): the server's own words ("Loading model"). */
  loading: z.string().optional(),
  /**
   * The models the server has in memory now, when it says which (Ollama, LM Studio): a model not among them is loaded
   * by its first answer, which takes longer. Absent when the server doesn't say.
   */
  inMemory: z.array(z.string()).optional()
})
export type ProviderTest = z.infer<typeof providerTestSchema>

/**
 * The one contract between the renderer and main. The preload (Electron IPC) and the WebSocket client (browser
 * mode) both implement it; the renderer never knows which it has.
 */
export interface ParleyApi {
  /** Accepts a call and answers at once: active, queued or waiting. */
  enqueue(call: Call): Promise<EnqueueResult>
  /**
   * Enqueues, then resolves when this run completes, however long it waits in the queue. Over the WebSocket it
   * outlives a dropped connection and a restart of main (rule G4): see `runThroughDrops`.
   */
  run(call: Call): Promise<RunComplete>
  /**
   * The RunComplete of a run main accepted: at once if it has ended (main remembers the last 10,000), else when it
   * ends. A run main never accepted is refused with `RunUnknown` (rule G4).
   */
  awaitRun(runId: string): Promise<RunComplete>
  /** Every retained event after `since`, then the live ones. */
  subscribe(options: { since: number }, listener: (event: ParleyEvent) => void): Unsubscribe
  /** The renderer has committed every history event up to `seq`. */
  ack(seq: number): Promise<void>
  cancel(sessionId: string): Promise<void>
  cancelRun(runId: string): Promise<boolean>
  /**
   * A8: this window has sent the removals it kept (`cancelRun`s a reload or main's crash cut off): the queued prompts
   * main brought back at its start may run now. Sent by each window on every (re)connect, after those removals; only
   * the first after a start changes anything. Until one comes (at most 2 s), main holds those prompts.
   */
  windowReady(): Promise<void>
  clearQueue(sessionId: string): Promise<number>
  status(): Promise<Status>
  createSession(options: { title?: string }): Promise<Session>
  renameSession(sessionId: string, title: string): Promise<void>
  deleteSession(sessionId: string): Promise<void>
  /**
   * Changes the chat's own model, system prompt, temperature or max tokens (null: back to the default) and answers
   * the session as it is now. The next turn to start uses them; a running one keeps what it started with.
   */
  updateSession(sessionId: string, patch: SessionOptionsPatch): Promise<Session>
  /**
   * Makes the branch through `messageId` the session's current one (rule H3), continued to its newest message, and
   * answers that leaf. Refused while the session is answering. A message already on the current branch changes
   * nothing (even while it answers): the current leaf is answered.
   */
  switchBranch(sessionId: string, messageId: string): Promise<string>
  /**
   * Deletes a message and the branch below it, and answers the session's leaf afterwards (null: no message left).
   * Refused while the session is answering.
   */
  deleteMessages(sessionId: string, messageId: string): Promise<string | null>
  /**
   * Imports an archive of chats (docs/export-format.md), validated whole first: a file with any problem is refused
   * with `ArchiveInvalid` naming each one, and nothing is imported. A chat main already has (by id) is skipped, so
   * importing a file twice adds nothing. Imported messages are never run.
   */
  importChats(archive: unknown): Promise<ImportResult>
  /**
   * A window's copy of chats, sent back while `historyState().logRestoreWanted` (main's message store was damaged and
   * replaced): every message main's log lacks is put back (by id, parents first, as it was; never run), a chat main
   * lacks is added, and a chat's branch comes back when main's has gone. Anything main has is left as it is. Answers
   * what it did (`imported`: chats added, `messages`: messages put back); while no restore is wanted it does nothing.
   */
  restoreLog(copy: WindowCopy): Promise<ImportResult>
  /** The window sent its whole copy: the restore is done, and `logRestoreWanted` is false from now on. */
  finishLogRestore(): Promise<void>
  getSettings(): Promise<SettingsView>
  updateSettings(patch: SettingsPatch): Promise<SettingsView>
  /** The models a saved provider (by id) or one being edited (its typed values) offers. */
  listModels(provider: ProviderRef): Promise<string[]>
  /** Whether a saved provider (by id) or one being edited (its typed values) answers, and its models. */
  testProvider(provider: ProviderRef): Promise<ProviderTest>
  /** The OS says the network is back: probe unreachable providers now instead of waiting out the backoff (C3). */
  probeNow(): Promise<void>
  /** Whether a window that applied events through some seq can catch up by replay, or must rebuild (read-only). */
  historyState(): Promise<HistoryState>
  /**
   * One page of main's whole history (read-only): `{ cursor: null }` starts a snapshot, each page names the next.
   * Every page of a snapshot is consistent with its `seq`; a snapshot left unread for a while is let go
   * (`SnapshotExpired`), and the window starts again.
   */
  historySnapshot(request: HistorySnapshotRequest): Promise<HistoryPage>
  /**
   * The chats main's log holds, without their messages (and of their own options, only the model), the newest
   * activity first (each row's `updatedAt` as `historySnapshot` has it), at most `request.limit` (read-only). The
   * command line's `chats` and `--continue`: the newest chat without paging every message of every chat.
   */
  listChats(request: ChatListRequest): Promise<ChatListItem[]>
  /**
   * Stores one file's bytes in main's data folder, once by content hash, and answers its ref, with a warning when the
   * model may not get what the person expects (a PDF with no text). Refused with `AttachmentTooLarge`,
   * `AttachmentUnsupported` (a PDF locked with a password, too) or `AttachmentDamaged` (an image or PDF that can't be
   * read).
   */
  putAttachment(upload: AttachmentUpload): Promise<StoredAttachment>
  /**
   * A large file in parts (shared/upload-in-parts.ts): announces it and answers the upload's id. Refused with
   * `AttachmentTooLarge` over 50 MB. An upload left idle for 10 minutes is let go.
   */
  beginAttachment(start: AttachmentUploadStart): Promise<string>
  /** The next part, at `offset` (the bytes received so far): answers the bytes received. Out of order is refused. */
  appendAttachment(uploadId: string, offset: number, dataBase64: string): Promise<number>
  /** Every byte announced has come: stores the file as `putAttachment` does and answers as it does. */
  finishAttachment(uploadId: string): Promise<StoredAttachment>
  /**
   * The files of a prompt not sent yet that a window kept with its draft (a reload, a restart): main holds them again
   * for it (a delete of the last message using the same bytes leaves them; the start's sweep counts their age anew) and
   * answers the ids it still has. Those missing were swept (unused for two weeks) or never stored here.
   */
  holdAttachments(ids: readonly string[]): Promise<string[]>
  /** One attachment's bytes, by id; `AttachmentMissing` when main doesn't hold them. */
  readAttachment(id: string): Promise<AttachmentData>
  /**
   * A part of one attachment's bytes (384 KB from `offset`), with its ref: a large file is read in parts
   * (shared/download-in-parts.ts), so main never builds one 67 MB frame. `offset` past the end is refused.
   */
  readAttachmentPart(id: string, offset: number): Promise<AttachmentPart>
  /** Whether a provider's model reads images (what the provider reports, else the settings, else `unknown`). */
  modelVision(providerId: string, model: string): Promise<VisionSupport>
  /**
   * B2: the context, in tokens, a saved provider's server says it runs the model with (llama.cpp, Ollama, vLLM, LM
   * Studio), or null when it says nothing. A turn uses no more than the smaller of this and the settings' window.
   */
  servedContext(providerId: string, model: string): Promise<number | null>
}

/**
 * The request/response methods, with the schemas of their arguments and results. Both transports validate with
 * these on both sides; `subscribe` is a stream and is bound by each transport itself.
 */
export const apiMethods = {
  enqueue: { args: z.tuple([callSchema]), result: enqueueResultSchema },
  run: { args: z.tuple([callSchema]), result: runCompleteSchema },
  awaitRun: { args: z.tuple([idSchema]), result: runCompleteSchema },
  ack: { args: z.tuple([z.number().int().nonnegative()]), result: z.void() },
  cancel: { args: z.tuple([idSchema]), result: z.void() },
  cancelRun: { args: z.tuple([idSchema]), result: z.boolean() },
  windowReady: { args: z.tuple([]), result: z.void() },
  clearQueue: { args: z.tuple([idSchema]), result: z.number().int().nonnegative() },
  status: { args: z.tuple([]), result: statusSchema },
  createSession: { args: z.tuple([z.object({ title: z.string().max(500).optional() }).strict()]), result: sessionSchema },
  renameSession: { args: z.tuple([idSchema, z.string().trim().min(1).max(500)]), result: z.void() },
  deleteSession: { args: z.tuple([idSchema]), result: z.void() },
  updateSession: { args: z.tuple([idSchema, sessionOptionsPatchSchema]), result: sessionSchema },
  switchBranch: { args: z.tuple([idSchema, idSchema]), result: idSchema },
  deleteMessages: { args: z.tuple([idSchema, idSchema]), result: idSchema.nullable() },
  // The archive is read by main itself (readArchive), so that a bad one is refused naming every problem and its place.
  importChats: { args: z.tuple([z.unknown()]), result: importResultSchema },
  restoreLog: { args: z.tuple([windowCopySchema]), result: importResultSchema },
  finishLogRestore: { args: z.tuple([]), result: z.void() },
  getSettings: { args: z.tuple([]), result: settingsViewSchema },
  updateSettings: { args: z.tuple([settingsPatchSchema]), result: settingsViewSchema },
  listModels: { args: z.tuple([providerRefSchema]), result: z.array(z.string()) },
  testProvider: { args: z.tuple([providerRefSchema]), result: providerTestSchema },
  probeNow: { args: z.tuple([]), result: z.void() },
  historyState: { args: z.tuple([]), result: historyStateSchema },
  historySnapshot: { args: z.tuple([historySnapshotRequestSchema]), result: historyPageSchema },
  listChats: { args: z.tuple([chatListRequestSchema]), result: z.array(chatListItemSchema) },
  putAttachment: { args: z.tuple([attachmentUploadSchema]), result: storedAttachmentSchema },
  beginAttachment: { args: z.tuple([attachmentUploadStartSchema]), result: uploadIdSchema },
  appendAttachment: { args: z.tuple([uploadIdSchema, z.number().int().nonnegative(), uploadPartSchema]), result: z.number().int().nonnegative() },
  finishAttachment: { args: z.tuple([uploadIdSchema]), result: storedAttachmentSchema },
  // One draft's files a call: at most a prompt's.
  holdAttachments: { args: z.tuple([z.array(attachmentIdSchema).max(attachmentLimits.perPrompt)]), result: z.array(attachmentIdSchema) },
  readAttachment: { args: z.tuple([attachmentIdSchema]), result: attachmentDataSchema },
  readAttachmentPart: { args: z.tuple([attachmentIdSchema, z.number().int().nonnegative()]), result: attachmentPartSchema },
  modelVision: { args: z.tuple([idSchema, z.string().min(1).max(500)]), result: visionSupportSchema },
  servedContext: { args: z.tuple([idSchema, z.string().min(1).max(500)]), result: z.number().int().positive().nullable() }
} as const satisfies Record<string, { args: z.ZodTuple; result: z.ZodType }>

export type ApiMethod = keyof typeof apiMethods

import { mkdirSync } from 'node:fs'
import { ServedContexts, servedContext } from './providers/served-context'
import { loadingIntoMemory, loadingIntoMemorySentence } from './providers/model-loading'
import { join } from 'node:path'
import type { DataRecovery, Settings } from '../../shared'
import { SessionAgent } from './agent/session-agent'
import { RunWaits } from './agent/run-waits'
import { AttachmentStore } from './attachments/attachment-store'
import { EventBroker } from './events/event-broker'
import type { SessionLog } from './history/session-log'
import { openSessionLogOrRecover } from './history/open-session-log'
import { LogRestoreMark } from './history/log-restore'
import { SessionFile, type AttachedSessionFile } from './history/session-file'
import { rebuildLostChats } from './history/chats-from-log'
import { HistorySnapshots } from './history/history-snapshots'
import { MainJournal, type MainJournalOptions, type Recovery } from './journal/main-journal'
import { classifyProviderError } from './providers/errors'
import { isLoopbackUrl } from './reachability/probe-schedule'
import { ReachabilityMonitor } from './reachability/reachability-monitor'
import { ModelPool, type ProviderFactory } from './service/model-pool'
import { ParleyService } from './service/parley-service'
import { acquireDataLock, type DataLockMode } from './data-lock'
import { FileSecretStore, type SecretStore } from './settings/secret-store'
import { SettingsStore } from './settings/settings-store'

export interface ParleyCoreOptions {
  /** Where settings, secrets (browser mode) and main's session list live. */
  dataDir: string
  /** Which Parley this is, named to a second one refused on the same folder (data-lock.ts). Default: headless. */
  mode?: DataLockMode
  /** The settings to start from when the data folder has none yet. */
  initialSettings?: Settings
  /** Where API keys live: a store, or a function that builds one over the settings file (the desktop's keychain). */
  secrets?: SecretStore | ((settings: SettingsStore) => SecretStore)
  providerFactory?: ProviderFactory
  /** The journal's options (the crash tests give it a disk that dies at a chosen write). */
  journal?: MainJournalOptions
  /** How old an unused attachment file must be for the start's sweep to remove it (default `unusedAttachmentAgeMs`). */
  attachmentSweepAgeMs?: number
  /**
   * Opens the core to read only: no turn starts, neither the prompts the journal brings back nor calls accepted; they
   * stay queued in the journal for the next start (G1). The command line's `chats`, `status` and `show` use it.
   */
  startsNoTurn?: boolean
  /**
   * A8: how long, at most, the queued prompts a restart brought back wait for a window's `windowReady` (its kept
   * removals sent) before they start. 0, the default: at once. Browser mode and the desktop app, which have windows,
   * pass PARLEY_RECOVERY_HOLD_MS (2000 by default); the command line's own core, which no window reaches, holds nothing.
   */
  recoveryHoldMs?: number
}

export interface ParleyCore {
  service: ParleyService
  agent: SessionAgent
  reachability: ReachabilityMonitor
  journal: MainJournal
  /** What the journal brought back at start. */
  recovery: Recovery
  /**
   * The last seq published before this start recovered anything: the RunCompletes a crash kept from going out (G4)
   * come after it, with every later event. A subscriber that tells people of completed runs (the tray's
   * notifications) listens from here, not from the moment it subscribes.
   */
  startSeq: number
  broker: EventBroker
  /** Main's session log: the history a turn reads (H1). */
  sessionLog: SessionLog
  /** Main's chat list on disk (sessions.json), written at most once a second. */
  sessionList: AttachedSessionFile
  settings: SettingsStore
  secrets: SecretStore
  /** Main's attachment files (issue 14). */
  attachments: AttachmentStore
  shutdown(): Promise<void>
}

/**
 * Composes the plain-Node core: the same in the desktop app, browser mode and headless tests. The data folder's lock
 * comes first, before anything in the folder is read or written; it is released by shutdown(), or at once if the core
 * fails to start. Throws DataFolderInUseError when another Parley holds the folder.
 */
export async function createParleyCore(options: ParleyCoreOptions): Promise<ParleyCore> {
  const lock = acquireDataLock(options.dataDir, options.mode ?? 'headless')
  let core: ParleyCore
  try {
    core = await composeCore(options)
  } catch (error) {
    lock.release()
    throw error
  }
  const shutdown = core.shutdown
  return {
    ...core,
    async shutdown() {
      try {
        await shutdown()
      } finally {
        lock.release()
      }
    }
  }
}

async function composeCore(options: ParleyCoreOptions): Promise<ParleyCore> {
  mkdirSync(options.dataDir, { recursive: true })
  const broker = new EventBroker()
  // G1, G2, F3: what an earlier main left in its journal. Unacknowledged events go back into the replay ring.
  const { journal, recovery } = MainJournal.open(join(options.dataDir, 'journal.jsonl'), options.journal)
  if (recovery.tornTail) console.warn('[parley] the journal ended in a torn line (a crash mid-write); it was dropped')
  // G4: RunCompletes that went out before the crash come back with their own seqs, for whoever resumes before them.
  broker.restore([...recovery.outbox, ...recovery.published])
  // Main's session log (H1): every session's messages, written from the events main publishes, the journal's replayed
  // ones first. Seqs go on after the last one either of them saw, so the log never mistakes a new event for an old one.
  // Recovery order: the journal is the first word. The log commits a batch only once the journal records of its events
  // are durable, so after a crash the log is never ahead of the journal, and the journal's outbox replays the rest.
  // A damaged log is moved aside and a new one opened, for the banner (issue 13: every file main reads).
  // Issue 14: files live once in attachments/; the log's ref index says when a delete took the last message using one.
  const attachments = new AttachmentStore(options.dataDir)
  const wake: { agent?: SessionAgent } = {}
  const { log: sessionLog, recovery: logRecovery } = await openSessionLogOrRecover(join(options.dataDir, 'session-log'), {
    gate: (seq) => journal.gate(seq),
    attachmentsUnused: (ids) => {
      const queued = wake.agent?.attachmentsInUse() ?? new Set<string>()
      // A file a window attached again for a prompt not sent yet stays (the start's sweep removes it if never sent).
      for (const id of ids) if (!queued.has(id) && !sessionLog.usesAttachment(id) && !attachments.isHeld(id)) attachments.remove(id)
    }
  })
  // A replaced log lost its messages; the windows hold a copy: main asks for it (kept in the folder until one comes).
  const logRestore = new LogRestoreMark(options.dataDir)
  if (logRecovery) logRestore.want(logRecovery.backupPath)
  broker.resumeAfter(Math.max(recovery.lastSeq, sessionLog.appliedSeq))
  const logFrom = sessionLog.appliedSeq
  const detachLog = sessionLog.attach(broker)
  const settings = new SettingsStore(options.dataDir, options.initialSettings)
  const secrets =
    typeof options.secrets === 'function' ? options.secrets(settings) : (options.secrets ?? new FileSecretStore(options.dataDir))
  const keys = new Map<string, string>()
  for (const providerId of await secrets.list()) {
    const key = await secrets.get(providerId)
    if (key) keys.set(providerId, key)
  }
  const models = new ModelPool(() => settings.get(), keys, options.providerFactory)
  // C3: a provider that can't be reached is probed until it answers; then the prompts waiting for it run.
  // The monitor is made before the agent it wakes, so it reaches the agent through this holder (`wake`, above).
  const reachability = new ReachabilityMonitor({
    probe: async (providerId, signal) => {
      try {
        await models.provider(providerId).listModels(signal)
      } catch (error) {
        // Any answer from the server (even "no such route" or "bad key") means it can be reached.
        if (classifyProviderError(error).kind === 'unreachable') throw error
      }
    },
    onBack: () => wake.agent?.providerBack() ?? false,
    onStatus: (status) => broker.publish({ type: 'provider.status', ...status }),
    // A server on this machine is looked at every 1–2 s while prompts wait; a remote one backs off to 30 s.
    isLocal: (providerId) => {
      const config = settings.get().providers.find((p) => p.id === providerId)
      return config !== undefined && isLoopbackUrl(config.baseUrl)
    }
  })
  const agent = new SessionAgent({
    startsNoTurn: options.startsNoTurn ?? false,
    recoveryHoldMs: options.recoveryHoldMs ?? 0,
    broker,
    // B2, H1, H4: a turn reads its context from the log, in main, with or without a window.
    history: sessionLog,
    models,
    reachability,
    journal,
    // B2: a turn uses no more context than the local server runs the model with (llama.cpp, Ollama, vLLM, LM Studio).
    servedContexts: new ServedContexts(
      (providerId) => settings.get().providers.find((p) => p.id === providerId),
      (config, model) => servedContext(config, model, { apiKey: keys.get(config.id) })
    ),
    // C6: a request Ollama or LM Studio holds while it loads the model says so (asked after 1.5 s without a byte).
    loadingIntoMemory: {
      ask: async (providerId, model, signal) => {
        const config = settings.get().providers.find((p) => p.id === providerId)
        const engine = config ? await loadingIntoMemory(config, model, { apiKey: keys.get(providerId), signal }) : undefined
        return engine === undefined ? undefined : loadingIntoMemorySentence(engine, model)
      }
    },
    attachments: { has: (id) => attachments.has(id), claim: (refs) => attachments.claim(refs), load: (ref) => attachments.load(ref) },
    settings: () => {
      const s = settings.get()
      return { systemPrompt: s.systemPrompt, maxRetries: s.maxRetries, loadingTimeoutMs: s.loadingTimeoutSeconds * 1000 }
    }
  })
  wake.agent = agent
  const sessionFile = new SessionFile(options.dataDir)
  // Chat events the file has not taken in yet are durable in the journal first; the file waits for it (`gate`).
  const sessionList = sessionFile.attach(agent.sessions, broker, { gate: (seq) => journal.gate(seq) })
  // A damaged list lost chats whose messages the log still has: they come back, titled by their first prompt.
  // Written back at once, so the damaged file is replaced by what was kept and rebuilt.
  if (sessionFile.recovery) {
    rebuildLostChats(sessionLog.chatsWithMessages(), agent.sessions, sessionFile.recovery)
    sessionList.rewrite()
  }
  journal.attach(broker)
  // What this start publishes comes after it: the outcomes a crash kept from going out first (G4).
  const startSeq = broker.lastSeq
  for (const complete of recovery.unpublished) agent.publishRecovered(complete)
  for (const { run, message } of recovery.interrupted) agent.finishInterrupted(run, message)
  agent.restoreQueued(recovery.queued)
  // E1: a chat main stopped between its first prompt and its title (or during the title's request) still gets one;
  // not asked for by a read-only command's core, which starts nothing (it is owed to the next start).
  if (!options.startsNoTurn) agent.titleUntitledChats(broker.lastSeq)
  // Issue 14, crash safety: a file no message and no queued prompt uses (its delete was cut short, or it was put and
  // never sent) goes once it is two weeks old: until then a draft the window kept may still send it.
  // Not while a replaced log waits for a window's copy: the log can't say yet which files its messages use.
  const inUse = agent.attachmentsInUse()
  if (!logRestore.wanted) attachments.sweep((id) => inUse.has(id) || sessionLog.usesAttachment(id), options.attachmentSweepAgeMs === undefined ? {} : { unusedAgeMs: options.attachmentSweepAgeMs })
  // Hears what the log heard (the journal's replayed events too), to hide deletions the store has not committed yet.
  const snapshots = new HistorySnapshots({ log: sessionLog, sessions: () => agent.sessions.list() })
  const detachSnapshots = broker.subscribe({ since: logFrom }, (event) => snapshots.take(event))
  // C4, C6: what each active run waits on before its first token, for status() (a window reloaded meanwhile says it).
  const runWaits = new RunWaits()
  const detachRunWaits = broker.subscribe({ since: broker.lastSeq }, runWaits.take)
  const recovered = [settings.recovery, secrets.recovery, sessionFile.recovery, recovery.damage, logRecovery].filter(
    (found): found is DataRecovery => found !== undefined
  )
  for (const found of recovered) {
    console.warn(`[parley] ${found.file} was damaged (${found.reason}): kept ${found.kept}, lost ${found.lost}; copy at ${found.backupPath || 'none'}`)
  }
  const service = new ParleyService({
    agent,
    broker,
    settings,
    secrets,
    keys,
    models,
    reachability,
    journal,
    sessionLog,
    snapshots,
    sessionList,
    recovered,
    attachments,
    logRestore,
    runWaits
  })
  return {
    service,
    agent,
    reachability,
    journal,
    recovery,
    startSeq,
    broker,
    sessionLog,
    sessionList,
    settings,
    secrets,
    attachments,
    async shutdown() {
      reachability.dispose()
      await agent.shutdown()
      await journal.close()
      await sessionList.detach()
      detachLog()
      detachSnapshots()
      detachRunWaits()
      snapshots.close()
      await sessionLog.close()
    }
  }
}

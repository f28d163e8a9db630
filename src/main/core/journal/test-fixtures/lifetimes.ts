// Lifetimes of a core on one data folder, for the crash tests: a first lifetime runs a workload and records, for each
// event a client heard, how long the journal was at that moment; a crash is then a cut of the journal at any byte,
// and a second lifetime starts from what the cut left.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { settingsSchema, type ParleyEvent, type RunComplete } from '../../../../shared'
import { createParleyCore, type ParleyCore, type ParleyCoreOptions } from '../../parley-core'
import type { MainJournalOptions } from '../main-journal'
import type { Provider, ProviderEvent, ProviderRequest } from '../../providers/provider'
import { MemorySecretStore } from '../../settings/secret-store'

/** What both models answer when asked for a chat's title. */
function* titleAnswer(): Generator<ProviderEvent> {
  yield { type: 'text', text: 'title' }
  yield { type: 'finish', reason: 'end_turn' }
}

/** Answers `answer to <prompt>` in a few pieces, yielding to the event loop between them; titles are `title`. */
export class PiecewiseModel implements Provider {
  readonly id = 'piecewise'

  async *stream(request: ProviderRequest, signal: AbortSignal): AsyncIterable<ProviderEvent> {
    if (request.model === 'title') {
      yield* titleAnswer()
      return
    }
    const prompt = request.messages.at(-1)?.content ?? ''
    for (const piece of ['answer ', 'to ', prompt]) {
      await new Promise((resolve) => setTimeout(resolve, 1))
      if (signal.aborted) return
      yield { type: 'text', text: piece }
    }
    yield { type: 'finish', reason: 'end_turn' }
  }

  async listModels(): Promise<string[]> {
    return ['chat', 'title']
  }
}

/** A seeded pseudo-random source (mulberry32) in [0, 1): a random crash sequence repeats from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function newDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'parley-lifetime-'))
}

/**
 * Streams a first piece, then waits for the abort: an answer that is still running when the test stops it (or deletes
 * its chat). Titles are `title`.
 */
export class EndlessModel implements Provider {
  readonly id = 'endless'

  async *stream(request: ProviderRequest, signal: AbortSignal): AsyncIterable<ProviderEvent> {
    if (request.model === 'title') {
      yield* titleAnswer()
      return
    }
    yield { type: 'text', text: 'partial' }
    if (signal.aborted) return
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))
  }

  async listModels(): Promise<string[]> {
    return ['chat', 'title']
  }
}

/**
 * `startsNoTurn`: a core as a read-only command runs it (`parley chats`, `show`, `status`). `model`: another model than
 * the piecewise one (an `EndlessModel`).
 */
export async function startCore(
  dataDir: string,
  journal: MainJournalOptions = {},
  core: Pick<ParleyCoreOptions, 'startsNoTurn'> & { model?: Provider } = {}
): Promise<ParleyCore> {
  const { model = new PiecewiseModel(), ...options } = core
  return createParleyCore({
    ...options,
    dataDir,
    journal,
    secrets: new MemorySecretStore(),
    providerFactory: () => model,
    initialSettings: settingsSchema.parse({
      providers: [{ id: 'piecewise', kind: 'openai', name: 'Piecewise', baseUrl: 'http://127.0.0.1:9/v1' }],
      models: { large: { providerId: 'piecewise', model: 'chat' }, small: { providerId: 'piecewise', model: 'title' } }
    })
  })
}

export interface Heard {
  event: ParleyEvent
  /** The journal's length in bytes when the client heard it. */
  journalBytes: number
}

export const journalPath = (dataDir: string): string => join(dataDir, 'journal.jsonl')

/** Subscribes a client that notes, for each event it hears, how long the journal was then. */
export function listen(core: ParleyCore, dataDir: string, since = 0): Heard[] {
  const heard: Heard[] = []
  core.service.subscribe(since, (event) => {
    heard.push({ event, journalBytes: existsSync(journalPath(dataDir)) ? statSync(journalPath(dataDir)).size : 0 })
  })
  return heard
}

/** A new data folder holding the first `bytes` of `from`'s journal and its other files: main killed at that byte. */
export function cutAt(from: string, bytes: number): string {
  const to = newDataDir()
  for (const file of ['settings.json', 'sessions.json']) {
    if (existsSync(join(from, file))) copyFileSync(join(from, file), join(to, file))
  }
  writeFileSync(journalPath(to), readFileSync(journalPath(from)).subarray(0, bytes))
  return to
}

/** The journal's records, each with the byte offset just past its line. */
export function journalLines(dataDir: string): { record: Record<string, unknown>; end: number }[] {
  const text = readFileSync(journalPath(dataDir), 'utf8')
  const lines: { record: Record<string, unknown>; end: number }[] = []
  let offset = 0
  for (const line of text.split('\n')) {
    offset += Buffer.byteLength(line) + 1
    if (line.trim()) lines.push({ record: JSON.parse(line) as Record<string, unknown>, end: offset })
  }
  return lines
}

export function completesIn(heard: readonly Heard[]): RunComplete[] {
  return heard.flatMap(({ event }) => (event.type === 'run.complete' ? [event.complete] : []))
}

/** Resolves once every one of `runIds` has a RunComplete among what `heard` holds (polls; the core drains itself). */
export async function untilComplete(heard: readonly Heard[], runIds: readonly string[], timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const done = new Set(completesIn(heard).map((c) => c.runId))
    if (runIds.every((id) => done.has(id))) return
    if (Date.now() > deadline) throw new Error(`no RunComplete for ${runIds.filter((id) => !done.has(id)).join(', ')}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

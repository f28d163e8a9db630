import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { messageText, type Message, type RunComplete } from '../../src/shared'
import { lastUserText, type RecordedRequest, type ScriptedServer } from '../../e2e/fixtures/scripted-server'
import { answerText, crashSettings, heardLine, startCrashModel } from './crash-model'
import { createParleyCore, type ParleyCore } from '../../src/main/core/parley-core'
import { MemorySecretStore } from '../../src/main/core/settings/secret-store'
import { newDataDir, seededRandom } from '../../src/main/core/journal/test-fixtures/lifetimes'
import { lifetimeLineSchema, type LifetimeLine, type LifetimePlan, type LifetimeStep } from './lifetime-plan'

// Main killed at random moments, again and again, for real: a child process running main on one data folder
// (journal and session log on disk, a real HTTP model server) is SIGKILLed at a random moment of each lifetime (while it starts and recovers, while it accepts prompts, while answers stream), then
// started again on the same folder; the last lifetime runs to the end. Every rule is then checked on everything: what
// the client heard across the lifetimes, main's history as a window would copy it, and every request the model got.
// PARLEY_KILL_SEQUENCES=20 PARLEY_KILLS=8 for a long run; PARLEY_KILL_SEED repeats one. PARLEY_RECOVERY_HOLD_MS=400
// holds each start's recovered queue (rule A8; no window here, so the hold's clock ends it), so kills land inside holds.
const sequences = Number(process.env['PARLEY_KILL_SEQUENCES'] ?? 1)
const killsPerSequence = Number(process.env['PARLEY_KILLS'] ?? 4)
const seed = Number(process.env['PARLEY_KILL_SEED'] ?? Math.floor(Math.random() * 2 ** 31))

const promptOf = (runId: string): string => `prompt ${runId}`

let server: ScriptedServer | undefined
let core: ParleyCore | undefined
const dataDirs: string[] = []
afterEach(async () => {
  await core?.shutdown()
  core = undefined
  await server?.close()
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** What one sequence of lifetimes did and heard, in order. */
interface Story {
  since: number
  sessions: Record<string, string>
  /** Every enqueue step, in the order the lifetimes made them (a chat's accept order). */
  enqueued: { runId: string; title: string }[]
  accepted: Set<string>
  heard: LifetimeLine[]
  /** How long the last lifetime took to say it was ready (to aim kills inside the start). */
  startMs: number
  nextRun: number
}

describe('a real main killed at random moments, again and again (G1 to G4, F1, H1, H2)', () => {
  it(`every accepted prompt gets one answer and one RunComplete, in order, and every request read main's log (${sequences} × ${killsPerSequence} kills, seed ${seed})`, async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    server = await startCrashModel()
    const next = seededRandom(seed)
    const failures: string[] = []
    for (let s = 0; s < sequences && failures.length === 0; s++) {
      const problems = await oneSequence(server, next, `s${s}`)
      if (problems.length > 0) failures.push(`sequence ${s} (seed ${seed}): ${problems.join('; ')}`)
    }
    expect(failures).toEqual([])
  }, 60_000 + sequences * killsPerSequence * 8_000)
})

async function oneSequence(model: ScriptedServer, next: () => number, tag: string): Promise<string[]> {
  const dataDir = newDataDir()
  dataDirs.push(dataDir)
  const story: Story = { since: 0, sessions: {}, enqueued: [], accepted: new Set(), heard: [], startMs: 1500, nextRun: 0 }
  const requestsBefore = model.requests.length
  for (let life = 0; life < killsPerSequence; life++) {
    const plan = planLifetime(story, next, tag, life)
    const lines = await killedLifetime(dataDir, model.url, plan, next, story)
    for (const line of lines) {
      story.heard.push(line)
      if (line.t === 'session') story.sessions[line.title] = line.id
      if (line.t === 'accepted') story.accepted.add(line.runId)
      if (line.t === 'event') story.since = Math.max(story.since, line.seq)
    }
  }

  // The last lifetime, in this process, runs until every accepted prompt has its outcome and main is idle.
  core = await createParleyCore({ dataDir, secrets: new MemorySecretStore(), initialSettings: crashSettings(model.url) })
  const last: LifetimeLine[] = []
  core.service.subscribe(story.since, (event) => {
    last.push(heardLine(event))
  })
  const deadline = Date.now() + 20_000
  const completed = (): Set<string> => new Set([...story.heard, ...last].flatMap((l) => (l.t === 'event' && l.complete ? [l.complete.runId] : [])))
  while ([...story.accepted].some((runId) => !completed().has(runId)) && Date.now() < deadline) await sleep(20)
  await core.agent.idle()
  await sleep(50)
  story.heard.push(...last)
  const history = await wholeHistory(core)
  const branches = new Map<string, Message[]>()
  for (const sessionId of Object.values(story.sessions)) {
    branches.set(sessionId, core.agent.sessions.has(sessionId) ? await core.sessionLog.read(sessionId, { afterSeq: 0 }) : [])
  }
  await core.shutdown()
  core = undefined
  if (process.env['PARLEY_KILL_VERBOSE'] === '1') console.log(tag, storySummary(story, history))
  return checkStory(story, history, branches, model.requests.slice(requestsBefore))
}

/** A lifetime's steps: a chat or two made, prompts sent a little apart to any chat, now and then one stopped. */
function planLifetime(story: Story, next: () => number, tag: string, life: number): LifetimePlan {
  const steps: LifetimeStep[] = []
  const titles = Object.keys(story.sessions)
  // Two chats first (again, if no lifetime lived to say it made them), now and then one more.
  const creates = titles.length === 0 ? [`a${life}`, `b${life}`] : next() < 0.3 ? [`c${life}`] : []
  for (const title of creates) steps.push({ kind: 'create', title })
  const known = [...titles, ...creates]
  const prompts = 2 + Math.floor(next() * 5)
  for (let i = 0; i < prompts; i++) {
    const runId = `${tag}-r${story.nextRun++}`
    const title = known[Math.floor(next() * known.length)] ?? 'a0'
    steps.push({ kind: 'enqueue', title, runId, prompt: promptOf(runId) })
    story.enqueued.push({ runId, title })
    if (next() < 0.15) {
      const earlier = story.enqueued[Math.floor(next() * story.enqueued.length)]
      if (earlier) steps.push({ kind: 'cancel', runId: earlier.runId })
    }
    steps.push({ kind: 'wait', ms: Math.floor(next() * 150) })
  }
  // Half the lifetimes compact the journal every few kilobytes, so kills also land in its rewrites.
  return { since: story.since, sessions: story.sessions, steps, ...(next() < 0.5 ? { compactBytes: 4096 } : {}) }
}

/** Starts main on the folder with its plan and kills it: a quarter of the time while it starts, else once it works. */
async function killedLifetime(dataDir: string, url: string, plan: LifetimePlan, next: () => number, story: Story): Promise<LifetimeLine[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'working-main.ts'), dataDir, url, JSON.stringify(plan)], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const started = Date.now()
  const lines: LifetimeLine[] = []
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  let ready: () => void = () => undefined
  const isReady = new Promise<void>((resolve) => (ready = resolve))
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()))
  createInterface({ input: child.stdout }).on('line', (text) => {
    const line = lifetimeLineSchema.parse(JSON.parse(text))
    lines.push(line)
    if (line.t === 'ready') {
      story.startMs = Date.now() - started
      ready()
    }
  })
  if (next() < 0.25) {
    await sleep(Math.floor(next() * story.startMs))
  } else {
    await Promise.race([isReady, closed])
    await sleep(Math.floor(next() * 1500))
  }
  child.kill('SIGKILL')
  await closed
  if (child.signalCode !== 'SIGKILL') throw new Error(`main exited by itself (${child.exitCode}): ${stderr.slice(-2000)}`)
  return lines
}

/** Main's whole history as a window copies it (`historySnapshot`), page by page. */
async function wholeHistory(core: ParleyCore): Promise<Message[]> {
  const messages: Message[] = []
  let page = await core.service.historySnapshot({ cursor: null })
  messages.push(...page.messages.map((m) => m.message))
  while (page.next) {
    page = await core.service.historySnapshot({ cursor: page.next })
    messages.push(...page.messages.map((m) => m.message))
  }
  return messages
}

/** Every rule checked on what happened; the problems found, none when all hold. */
function checkStory(story: Story, history: readonly Message[], branches: ReadonlyMap<string, readonly Message[]>, requests: readonly RecordedRequest[]): string[] {
  const problems: string[] = []
  const events = story.heard.flatMap((line) => (line.t === 'event' ? [line] : []))
  // F1 across lifetimes: a client that resumes after what it heard never hears a seq twice, nor one going back.
  events.forEach((event, i) => {
    const before = events[i - 1]
    if (before && event.seq <= before.seq) problems.push(`seq ${event.seq} (${event.type}) heard after seq ${before.seq}`)
  })
  const completes = new Map<string, RunComplete[]>()
  for (const { complete } of events) if (complete) completes.set(complete.runId, [...(completes.get(complete.runId) ?? []), complete])
  const enqueued = new Set(story.enqueued.map((e) => e.runId))
  // G4: one RunComplete for every accepted run; never two for any run, never one for a run nobody sent.
  for (const runId of story.accepted) if ((completes.get(runId)?.length ?? 0) !== 1) problems.push(`accepted ${runId} has ${completes.get(runId)?.length ?? 0} RunCompletes`)
  for (const [runId, list] of completes) {
    if (list.length > 1) problems.push(`${runId} has ${list.length} RunCompletes`)
    if (!enqueued.has(runId)) problems.push(`${runId} completed but was never sent`)
  }

  // G2, G3: a run in history has one prompt and one answer under it, finished, with the text its RunComplete carries:
  // the model's whole answer, or (cut off by a kill) the start of it.
  const byRun = new Map<string, Message[]>()
  for (const message of history) byRun.set(message.runId, [...(byRun.get(message.runId) ?? []), message])
  for (const [runId, messages] of byRun) {
    const users = messages.filter((m) => m.role === 'user')
    const answers = messages.filter((m) => m.role === 'assistant')
    const complete = completes.get(runId)?.[0]
    if (users.length !== 1 || answers.length !== 1) problems.push(`${runId} has ${users.length} prompts and ${answers.length} answers in history`)
    const answer = answers[0]
    if (!answer) continue
    if (answer.status === 'streaming') problems.push(`${runId}'s answer is still streaming in history`)
    if (answer.parentId !== users[0]?.id) problems.push(`${runId}'s answer doesn't follow its prompt`)
    const text = messageText(answer)
    if (!answerText(promptOf(runId)).startsWith(text)) problems.push(`${runId}'s answer "${text}" is not what the model said`)
    if (!complete) problems.push(`${runId} is in history with no RunComplete`)
    else if (complete.text !== text) problems.push(`${runId} completed with "${complete.text}" but history has "${text}"`)
    else if (!complete.error && !complete.cancelled && text !== answerText(promptOf(runId))) problems.push(`${runId} completed without error but its answer is cut: "${text}"`)
    else if (complete.error !== undefined && complete.error !== 'interrupted') problems.push(`${runId} failed: ${complete.error}`)
  }
  // A run that completed without being stopped has its prompt and answer in history (nothing lost).
  for (const [runId, list] of completes) {
    const complete = list[0]
    if (complete && !complete.cancelled && !byRun.has(runId)) problems.push(`${runId} completed (${complete.error ?? 'ok'}) but history has none of it`)
  }

  // G1, C-rules: in each chat, prompts come one after the other's answer, in the order they were sent.
  for (const [title, sessionId] of Object.entries(story.sessions)) {
    const branch = branches.get(sessionId) ?? []
    const inChat = history.filter((m) => m.sessionId === sessionId)
    if (branch.length !== inChat.length) problems.push(`chat ${title}: ${inChat.length} messages, ${branch.length} on its branch`)
    const order = story.enqueued.filter((e) => e.title === title).map((e) => e.runId)
    const runs = branch.filter((m) => m.role === 'user').map((m) => m.runId)
    const expected = order.filter((runId) => runs.includes(runId))
    if (runs.join() !== expected.join()) problems.push(`chat ${title} ran ${runs.join(',')} but they were sent ${expected.join(',')}`)
    branch.forEach((message, i) => {
      if (message.role !== (i % 2 === 0 ? 'user' : 'assistant')) problems.push(`chat ${title}: message ${i} is ${message.role}`)
    })
  }

  // H1, H2: every answer's request sent the chat as main's log has it before that prompt: earlier prompts with their
  // answers (a cut one as it was kept), those whose answer has no text left out.
  const messageOf = new Map(history.map((m) => [m.id, m]))
  for (const request of requests) {
    if (!request.path.endsWith('/chat/completions') || !isRecord(request.body) || request.body['model'] !== 'large') continue
    const runId = lastUserText(request).replace(/^prompt /, '')
    const user = byRun.get(runId)?.find((m) => m.role === 'user')
    if (!user) {
      // A turn asks the model only once the journal's file has what it read (its prompt too), so a kill can't take
      // back a prompt the model was sent: it is recovered and answered.
      problems.push(`the model was asked for ${runId}${story.accepted.has(runId) ? ' (accepted)' : ''}, which history doesn't have`)
      continue
    }
    const branch = branches.get(user.sessionId) ?? []
    const upTo = branch.slice(0, branch.findIndex((m) => m.id === user.id))
    const expected: { role: string; content: string }[] = []
    for (let i = 0; i + 1 < upTo.length; i += 2) {
      const [prompt, answer] = [upTo[i], upTo[i + 1]]
      if (!prompt || !answer || messageText(answer) === '') continue
      expected.push({ role: 'user', content: messageText(prompt) }, { role: 'assistant', content: messageText(answer) })
    }
    expected.push({ role: 'user', content: messageText(messageOf.get(user.id) ?? user) })
    const sent = (Array.isArray(request.body['messages']) ? request.body['messages'] : []).filter((m) => isRecord(m) && m['role'] !== 'system')
    if (JSON.stringify(sent) !== JSON.stringify(expected)) problems.push(`the request for ${runId} sent ${JSON.stringify(sent)}, history says ${JSON.stringify(expected)}`)
  }
  return problems
}

/** How much a sequence exercised: runs sent, accepted, cut off by a kill, stopped; kills before main said it was ready. */
function storySummary(story: Story, history: readonly Message[]): string {
  const completes = story.heard.flatMap((line) => (line.t === 'event' && line.complete ? [line.complete] : []))
  const lifetimes = story.heard.filter((line) => line.t === 'ready').length
  return [
    `${story.enqueued.length} sent`,
    `${story.accepted.size} accepted`,
    `${completes.filter((c) => c.error === 'interrupted').length} interrupted`,
    `${completes.filter((c) => c.cancelled).length} stopped`,
    `${history.length} messages`,
    `${lifetimes} of ${killsPerSequence + 1} lifetimes got ready`
  ].join(', ')
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

// Run as a child process by killed-at-random.test.ts: one lifetime of a core on a data folder, killed (SIGKILL) by
// itself `killAfterMs` after this module starts (`start`: the kill may fall in the core's start and recovery; `deleted`:
// the same, or at once when its deletion is answered; `ran`: or when its `run` call answers) or after the core
// started (`ready`: it falls in the work),
// wherever it is then: accepting prompts, answering, acknowledging, compacting. `acked`: killed the moment the
// `killAfterMs`-th enqueue answers, where "answered" must already mean "accepted for good" (G1); `stopped`: the moment
// the `killAfterMs`-th of its two cancelRun calls answers `true`, where "answered" must mean "kept" (D2, G1, G4). What a
// window would have heard is written to stdout as it hears it, a JSON
// line each (stdout is a pipe: Linux writes it synchronously, so a line written is a line the test reads):
//   {"session": id}   a chat was made (createSession answered: durable)
//   {"acked": runId}  enqueue answered: the prompt is durably accepted and must get exactly one RunComplete
//   {"event": ...}    an event the subscriber heard (it acknowledges each one, as a window that committed it does)
//   {"told": runId}   a RunComplete heard by a subscriber from the core's startSeq, as the tray's notifier hears them
//   {"deleting": id}  an answer is about to be deleted (deleteMessages); {"deleted": id} once that call answered
//   {"ran": runId, "text": ...}  `run` answered with this outcome: it is durable, and is what the run ended with
//   {"stopped": runId}  cancelRun answered true: the run never starts again and is never cut off (`interrupted`)
// The first lifetime makes three chats and queues prompts in rounds, stopping one queued and one running answer, and
// a fourth chat (d) with one prompt; a later one queues two more prompts in each of the three it is given that main
// still has, regenerates the first answer of the third (c), and deletes d's answer once its run has ended.
import { writeSync } from 'node:fs'
import { startCore } from './lifetimes'

const [dataDir, killAfter, killFrom, since, lifetime, chatList] = process.argv.slice(2)
if (!dataDir || !killAfter || !['start', 'ready', 'deleted', 'ran', 'acked', 'stopped'].includes(killFrom ?? '') || !since || (lifetime !== 'first' && lifetime !== 'later')) {
  throw new Error('usage: randomly-killed-core <dataDir> <killAfterMs | acks | stops> start|ready|deleted|ran|acked|stopped <since> first|later [chat ids, comma-separated]')
}
const killLater = (): void => void setTimeout(() => process.kill(process.pid, 'SIGKILL'), Number(killAfter))
if (killFrom === 'start' || killFrom === 'deleted' || killFrom === 'ran') killLater()
// Whatever happens, `acked` and `stopped` end too (the count not reached: all their work done).
if (killFrom === 'acked' || killFrom === 'stopped') setTimeout(() => process.kill(process.pid, 'SIGKILL'), 3000)

const say = (line: object): void => {
  writeSync(1, `${JSON.stringify(line)}\n`)
}
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

const core = await startCore(dataDir, { compactBytes: 8 * 1024, checkpointMs: 2 })
if (killFrom === 'ready') killLater()
core.service.subscribe(Number(since), (event) => {
  say({ event })
  void core.service.ack(event.seq).catch(() => undefined)
})
core.service.subscribe(core.startSeq, (event) => {
  if (event.type === 'run.complete') say({ told: event.complete.runId })
})

let acks = 0
function enqueue(sessionId: string, runId: string, retryOf?: string): void {
  core.service.enqueue({ sessionId, runId, prompt: `prompt ${runId}`, ...(retryOf ? { retryOf } : {}) }).then(
    () => {
      say({ acked: runId })
      if (killFrom === 'acked' && ++acks === Number(killAfter)) process.kill(process.pid, 'SIGKILL')
    },
    () => undefined
  )
}

let stops = 0
function stop(runId: string): void {
  core.service.cancelRun(runId).then(
    (known) => {
      if (!known) return
      say({ stopped: runId })
      if (killFrom === 'stopped' && ++stops === Number(killAfter)) process.kill(process.pid, 'SIGKILL')
    },
    () => undefined
  )
}

if (lifetime === 'first') {
  const chats: string[] = []
  for (const title of ['a', 'b', 'c', 'd']) {
    const session = await core.service.createSession({ title })
    say({ session: session.id })
    chats.push(session.id)
  }
  const answering = chats.slice(0, 3)
  if (chats[3]) enqueue(chats[3], 'd1')
  for (let round = 1; round <= 4; round++) {
    answering.forEach((sessionId, i) => enqueue(sessionId, `${'abc'[i] ?? 'x'}${round}`))
    if (round === 3) stop('b3')
    await pause(4)
    if (round === 1) stop('c1')
  }
} else {
  const given = (chatList ?? '').split(',').filter((id) => id !== '' && core.agent.sessions.has(id))
  const titled = (title: string): string[] => given.filter((id) => core.agent.sessions.get(id)?.title === title)
  const answering = ['a', 'b', 'c'].flatMap(titled)
  for (let round = 1; round <= 2; round++) {
    answering.forEach((sessionId, i) => enqueue(sessionId, `later${i}-${round}`))
    await pause(3)
  }
  // A regenerate (H3) in chat c, of its first prompt: no prompt of its own, a new answer beside the old one.
  const [, , c] = answering
  // Main sends a chat's newest message first: its first prompt is the user message created first, read to the last page.
  let firstPrompt: { id: string; createdSeq: number } | undefined
  for (let page = c ? await core.service.historySnapshot({ cursor: null, sessionId: c }) : undefined; page; ) {
    for (const { message, createdSeq } of page.messages) {
      if (message.role === 'user' && (!firstPrompt || createdSeq < firstPrompt.createdSeq)) firstPrompt = { id: message.id, createdSeq }
    }
    page = page.next ? await core.service.historySnapshot({ cursor: page.next }) : undefined
  }
  if (c && firstPrompt) enqueue(c, 'later2-9', firstPrompt.id)
  // A blocking caller (the command line): a third prompt in chat a, with `run`, answered once its outcome is durable.
  const [a] = answering
  if (a) {
    await core.service.run({ sessionId: a, runId: 'later0-3', prompt: 'prompt later0-3' }).then(
      (complete) => {
        say({ ran: complete.runId, text: complete.text })
        if (killFrom === 'ran') process.kill(process.pid, 'SIGKILL')
      },
      () => undefined
    )
  }
  // d's only answer, once its run has ended (perhaps in the lifetime before): nothing else is under it.
  const [d] = titled('d')
  const ended = d ? await core.service.awaitRun('d1').catch(() => undefined) : undefined
  if (d && ended?.messageId) {
    const answer = ended.messageId
    say({ deleting: answer })
    await core.service.deleteMessages(d, answer).then(
      () => {
        say({ deleted: answer })
        // `deleted`: killed the moment the call answered, where "answered" must already mean "kept".
        if (killFrom === 'deleted') process.kill(process.pid, 'SIGKILL')
      },
      () => undefined
    )
  }
}

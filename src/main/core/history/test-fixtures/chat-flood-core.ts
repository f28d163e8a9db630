// Run as a child process by session-file-crash.test.ts: a core that creates, renames and deletes chats as fast as its
// answers come, printing each answered change, and kills itself (SIGKILL) a random moment after `answers` of them.
import { writeSync } from 'node:fs'
import { startCore } from '../../journal/test-fixtures/lifetimes'

const [dataDir, answersText, seedText] = process.argv.slice(2)
const answers = Number(answersText)
if (!dataDir || !Number.isInteger(answers) || !Number.isInteger(Number(seedText))) {
  throw new Error('usage: chat-flood-core <dataDir> <answers> <seed>')
}
// A small deterministic generator: the kill lands a different moment into the flood for each seed.
let state = Number(seedText) || 1
const random = (): number => ((state = (state * 48271) % 2147483647) / 2147483647)

const core = await startCore(dataDir)
const say = (line: string): void => void writeSync(1, `${line}\n`)
let answered = 0
const answer = (line: string): void => {
  say(line)
  answered += 1
  if (answered === answers) setTimeout(() => process.kill(process.pid, 'SIGKILL'), Math.floor(random() * 40))
}
let previous: string | undefined
// Several calls in flight at once, as a window or a script flooding the bridge would have.
const worker = async (lane: number): Promise<void> => {
  for (let i = 0; ; i += 1) {
    const session = await core.service.createSession({ title: `chat ${lane}.${i}` })
    answer(`created ${session.id}`)
    if (random() < 0.3) {
      const title = `renamed ${lane}.${i}`
      await core.service.renameSession(session.id, title)
      answer(`renamed ${session.id} ${title}`)
    }
    if (previous !== undefined && random() < 0.2) {
      const gone = previous
      previous = undefined
      await core.service.deleteSession(gone)
      answer(`deleted ${gone}`)
    } else {
      previous = session.id
    }
  }
}
await Promise.all([worker(1), worker(2), worker(3)])

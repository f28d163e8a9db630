// Run as a child process by run-outcomes.test.ts: a core that answers `r1` and kills itself (SIGKILL) at one exact
// point of the run's end: `after-finished`, once its answer's message.finished is journaled but before the run's end
// is; `after-ended`, once the end is journaled but before its RunComplete goes out.
import { startCore } from './lifetimes'

const [dataDir, point] = process.argv.slice(2)
if (!dataDir || (point !== 'after-finished' && point !== 'after-ended')) {
  throw new Error('usage: killed-core <dataDir> after-finished|after-ended')
}
const core = await startCore(dataDir)
const die = (): void => {
  process.kill(process.pid, 'SIGKILL')
}
if (point === 'after-finished') {
  // The journal subscribed first, so it has written and synced the event when this listener hears it.
  core.broker.subscribe({ since: core.broker.lastSeq }, (event) => {
    if (event.type === 'message.finished' && event.message.role === 'assistant' && event.message.runId === 'r1') die()
  })
} else {
  const ended = core.journal.ended.bind(core.journal)
  core.journal.ended = (runId, complete) => {
    ended(runId, complete)
    if (runId === 'r1') die()
  }
}
const session = core.agent.createSession({ title: 'killed' })
core.agent.enqueue({ sessionId: session.id, runId: 'r1', prompt: 'one' })
core.agent.enqueue({ sessionId: session.id, runId: 'r2', prompt: 'two' })

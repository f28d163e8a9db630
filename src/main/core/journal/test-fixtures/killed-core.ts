// Run as a child process by run-outcomes.test.ts: a core that answers `r1` and kills itself (SIGKILL) at one exact
// point of the run's end, inside the journal's group commit: `after-finished`, once its answer's message.finished line
// is written but before the run's end is (the rest of the group is never written); `after-ended`, once the end's line
// is written but before the group's fsync, so before its RunComplete can go out (the gate holds it for the fsync).
import { writeSync } from 'node:fs'
import { fsDisk, type JournalDisk } from '../journal-file'
import { startCore } from './lifetimes'

const [dataDir, point] = process.argv.slice(2)
if (!dataDir || (point !== 'after-finished' && point !== 'after-ended')) {
  throw new Error('usage: killed-core <dataDir> after-finished|after-ended')
}

const isTarget = (line: string): boolean => {
  if (!line.trim()) return false
  const record = JSON.parse(line) as { t?: string; runId?: string; event?: { type?: string; message?: { role?: string; runId?: string } } }
  if (point === 'after-ended') return record.t === 'ended' && record.runId === 'r1'
  const event = record.event
  return record.t === 'event' && event?.type === 'message.finished' && event.message?.role === 'assistant' && event.message.runId === 'r1'
}

/** The real disk, except for the group holding the target line: written up to it, then the process dies. */
const disk: JournalDisk = {
  write: async (fd, text) => {
    const lines = text.split('\n')
    const at = lines.findIndex(isTarget)
    if (at < 0) return fsDisk.write(fd, text)
    writeSync(fd, `${lines.slice(0, at + 1).join('\n')}\n`)
    process.kill(process.pid, 'SIGKILL')
  },
  fsync: (fd) => fsDisk.fsync(fd)
}

const core = await startCore(dataDir, { disk })
const session = core.agent.createSession({ title: 'killed' })
core.agent.enqueue({ sessionId: session.id, runId: 'r1', prompt: 'one' })
core.agent.enqueue({ sessionId: session.id, runId: 'r2', prompt: 'two' })

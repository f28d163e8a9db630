import { describe, expect, it } from 'vitest'
import type { Message, ParleyEvent, RunComplete } from '../../shared'
import type { RunOutput } from './cli-args'
import { RunPrinter } from './run-printer'

let seq = 0
const at = 0
function message(id: string, runId: string, text: string, status: Message['status']): Message {
  return { id, sessionId: 's', runId, role: 'assistant', parts: [{ type: 'text', text }], status, createdAt: 0 }
}
const created = (id: string, runId: string): ParleyEvent => ({ type: 'message.created', message: message(id, runId, '', 'streaming'), seq: ++seq, at })
const delta = (messageId: string, text: string): ParleyEvent => ({ type: 'message.delta', sessionId: 's', messageId, text, seq: ++seq, at })
const finished = (id: string, runId: string, text: string): ParleyEvent => ({ type: 'message.finished', message: message(id, runId, text, 'finished'), seq: ++seq, at })
const complete = (runId: string, text: string, extra: Partial<RunComplete> = {}): RunComplete => ({ runId, sessionId: 's', text, cancelled: false, ...extra })

function printed(output: RunOutput, events: ParleyEvent[], end: RunComplete): string {
  let out = ''
  const printer = new RunPrinter('mine', output, (text) => (out += text))
  for (const event of events) printer.take(event)
  printer.finish(end)
  return out
}

describe('what parley run prints', () => {
  const events = [
    created('theirs-1', 'theirs'),
    created('mine-1', 'mine'),
    delta('theirs-1', 'NOT MINE'),
    delta('mine-1', 'Hel'),
    delta('mine-1', 'lo'),
    finished('theirs-1', 'theirs', 'NOT MINE'),
    finished('mine-1', 'mine', 'Hello!')
  ]

  it('streams only its own run\'s answer, completes it from the finished text, and ends the line', () => {
    expect(printed('stream', events, complete('mine', 'Hello!'))).toBe('Hello!\n')
  })

  it('--quiet prints only the final text; --json only the RunComplete', () => {
    expect(printed('quiet', events, complete('mine', 'Hello!'))).toBe('Hello!\n')
    expect(JSON.parse(printed('json', events, complete('mine', 'Hello!', { messageId: 'mine-1' })))).toEqual(
      complete('mine', 'Hello!', { messageId: 'mine-1' })
    )
  })

  it('prints the final text when the stream was missed (a restart), and nothing twice when events are replayed', () => {
    expect(printed('stream', [], complete('mine', 'From the outcome.'))).toBe('From the outcome.\n')
    const made = created('mine-1', 'mine')
    const first = delta('mine-1', 'Hel')
    const replayed = [made, first, first, delta('mine-1', 'lo'), finished('mine-1', 'mine', 'Hello')]
    expect(printed('stream', replayed, complete('mine', 'Hello'))).toBe('Hello\n')
  })

  it('--quiet prints nothing for a failed run (the error goes to stderr)', () => {
    expect(printed('quiet', [], complete('mine', 'partial', { error: 'The server went away.' }))).toBe('')
  })

  it('a run stopped mid-answer (Ctrl+C, --timeout) keeps what streamed and ends its line; nothing is added to an ended line or with no text', () => {
    const stopped = (events: ParleyEvent[], output: RunOutput = 'stream'): string => {
      let out = ''
      const printer = new RunPrinter('mine', output, (text) => (out += text))
      for (const event of events) printer.take(event)
      printer.cut()
      return out
    }
    expect(stopped([created('mine-1', 'mine'), delta('mine-1', 'Hal')])).toBe('Hal\n')
    expect(stopped([created('mine-1', 'mine'), delta('mine-1', 'Line\n')])).toBe('Line\n')
    expect(stopped([created('mine-1', 'mine')])).toBe('')
    expect(stopped([created('mine-1', 'mine'), delta('mine-1', 'Hal')], 'quiet')).toBe('')
  })
})

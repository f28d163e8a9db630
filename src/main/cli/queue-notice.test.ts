import { describe, expect, it } from 'vitest'
import type { ParleyEvent, QueuedPrompt } from '../../shared'
import { QueueNotice } from './queue-notice'

const item = (runId: string, state: QueuedPrompt['state'] = 'queued'): QueuedPrompt => ({ runId, prompt: 'p', enqueuedAt: 0, state })
const changed = (sessionId: string, queue: QueuedPrompt[]): ParleyEvent => ({ type: 'queue.changed', sessionId, queue, seq: 1, at: 0 })

describe('the queue line on stderr', () => {
  it('says how many are ahead (the prompts before it and the answer being written), once per change', () => {
    const lines: string[] = []
    const notice = new QueueNotice('mine', 's', (line) => lines.push(line))
    notice.accepted({ runId: 'mine', state: 'queued', position: 2 })
    notice.take(changed('s', [item('a'), item('mine')]))
    notice.take(changed('other-chat', [item('mine-elsewhere')]))
    notice.take(changed('s', [item('mine')]))
    notice.take(changed('s', [item('mine', 'waiting')]))
    notice.take({ type: 'run.started', runId: 'mine', sessionId: 's', seq: 2, at: 0 })
    expect(lines).toEqual([
      'parley: queued, 2 ahead\n',
      'parley: queued, 1 ahead\n',
      'parley: waiting for the model to answer\n',
      'parley: started\n'
    ])
  })

  it('says nothing for a run that starts at once', () => {
    const lines: string[] = []
    const notice = new QueueNotice('mine', 's', (line) => lines.push(line))
    notice.accepted({ runId: 'mine', state: 'active', position: 0 })
    notice.take({ type: 'run.started', runId: 'mine', sessionId: 's', seq: 2, at: 0 })
    expect(lines).toEqual([])
  })

  it("C6: a run whose request Ollama or LM Studio holds while it loads the model says so, in main's sentence, once", () => {
    const lines: string[] = []
    const notice = new QueueNotice('mine', 's', (line) => lines.push(line))
    notice.accepted({ runId: 'mine', state: 'active', position: 0 })
    const detail = 'Ollama is loading llama3.2 into memory (the first answer after a start takes longer).'
    notice.take({ type: 'run.loading', runId: 'another', sessionId: 's2', detail: 'LM Studio is loading qwen3-8b into memory (the first answer after a start takes longer).', seq: 2, at: 0 })
    notice.take({ type: 'run.loading', runId: 'mine', sessionId: 's', detail, seq: 3, at: 0 })
    notice.take({ type: 'run.loading', runId: 'mine', sessionId: 's', detail, seq: 4, at: 0 })
    expect(lines).toEqual(['parley: Ollama is loading llama3.2 into memory (the first answer after a start takes longer).\n'])
  })

  it('C3/C6: a run waiting for its model server says why (unreachable or loading, with the detail) and how to give up', () => {
    const lines: string[] = []
    const notice = new QueueNotice('mine', 's', (line) => lines.push(line))
    const down = (state: 'unreachable' | 'loading', detail?: string): ParleyEvent => ({
      type: 'provider.status',
      providerId: 'p',
      reachable: false,
      state,
      ...(detail === undefined ? {} : { detail }),
      retryInSeconds: 1,
      seq: 3,
      at: 0
    })
    // Heard before this run waits: about another chat's provider, not this run's.
    notice.take(down('unreachable', 'elsewhere'))
    notice.accepted({ runId: 'mine', state: 'waiting', position: 0 })
    const refused = "Parley couldn't reach the model server at http://127.0.0.1:9/v1 (the connection failed)."
    notice.take(down('unreachable', refused))
    notice.take(down('unreachable', refused))
    notice.take(down('loading'))
    expect(lines).toEqual([
      'parley: waiting for the model to answer\n',
      "parley: waiting for the model server. Parley couldn't reach the model server at http://127.0.0.1:9/v1 (the connection failed). The prompt runs when it answers (Ctrl+C or --timeout gives up).\n",
      'parley: waiting for the model server. The model server is loading its model. The prompt runs when it answers (Ctrl+C or --timeout gives up).\n'
    ])
  })
})

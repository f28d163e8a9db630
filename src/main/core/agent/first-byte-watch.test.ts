import { describe, expect, it } from 'vitest'
import type { ParleyEvent } from '../../../shared'
import { EventBroker } from '../events/event-broker'
import { FirstByteWatch, type LoadingIntoMemoryPort } from './first-byte-watch'

const request = { runId: 'r', sessionId: 's', providerId: 'ollama', model: 'llama3.2' }

function heard(): { broker: EventBroker; events: ParleyEvent[] } {
  const broker = new EventBroker()
  const events: ParleyEvent[] = []
  broker.subscribe({ since: 0 }, (event) => void events.push(event))
  return { broker, events }
}

/** A port that records what it was asked, and answers once `answer` is called (or fails with `fail`). */
function askedPort(waitMs: number) {
  const asked: { providerId: string; model: string; signal: AbortSignal }[] = []
  let answer: (detail: string | undefined) => void = () => {}
  let fail: (error: Error) => void = () => {}
  let wasAsked: () => void = () => {}
  const askedOnce = new Promise<void>((resolve) => (wasAsked = resolve))
  const port: LoadingIntoMemoryPort = {
    waitMs,
    ask: (providerId, model, signal) => {
      asked.push({ providerId, model, signal })
      wasAsked()
      return new Promise((resolve, reject) => {
        answer = resolve
        fail = reject
      })
    }
  }
  return { port, asked, askedOnce, answer: (detail: string | undefined) => answer(detail), fail: (error: Error) => fail(error) }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('FirstByteWatch', () => {
  it('C6: a request with no first byte after the wait asks whether the model is loading into memory, and says so with the sentence', async () => {
    const { broker, events } = heard()
    const port = askedPort(5)
    const watch = new FirstByteWatch(broker, port.port, request)
    await port.askedOnce
    expect(port.asked.map((a) => `${a.providerId} ${a.model}`)).toEqual(['ollama llama3.2'])
    port.answer('Ollama is loading llama3.2 into memory (the first answer after a start takes longer).')
    await settle()
    expect(events).toMatchObject([
      { type: 'run.loading', runId: 'r', sessionId: 's', detail: 'Ollama is loading llama3.2 into memory (the first answer after a start takes longer).' }
    ])
    watch.stop()
  })

  it('C6: a first byte before the wait: nothing is asked or said', async () => {
    const { broker, events } = heard()
    const port = askedPort(20)
    new FirstByteWatch(broker, port.port, request).stop()
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(port.asked).toEqual([])
    expect(events).toEqual([])
  })

  it('C6: a first byte while the server is asked aborts the question, and what it answers later is not said', async () => {
    const { broker, events } = heard()
    const port = askedPort(1)
    const watch = new FirstByteWatch(broker, port.port, request)
    await port.askedOnce
    watch.stop()
    expect(port.asked[0]?.signal.aborted).toBe(true)
    port.answer('Ollama is loading llama3.2 into memory (the first answer after a start takes longer).')
    await settle()
    expect(events).toEqual([])
  })

  it('C6: a server that is not loading, or a question that fails, says nothing', async () => {
    const { broker, events } = heard()
    const quiet = askedPort(1)
    const failing = askedPort(1)
    const watches = [new FirstByteWatch(broker, quiet.port, request), new FirstByteWatch(broker, failing.port, request)]
    await Promise.all([quiet.askedOnce, failing.askedOnce])
    quiet.answer(undefined)
    failing.fail(new Error('refused'))
    await settle()
    expect(events).toEqual([])
    for (const watch of watches) watch.stop()
  })
})

import { APIError } from 'openai'
import { describe, expect, it } from 'vitest'
import { bufferedResponse } from '../test-fixtures/buffered-response'
import { LoopBreath } from './loop-breath'
import { openaiChunkBatches, readChunk } from './openai-sse'

const event = (content: string): string => `data: ${JSON.stringify({ choices: [{ delta: { content } }] })}\n\n`

async function collect(response: Response, signal = new AbortController().signal): Promise<{ batches: unknown[][]; error: unknown }> {
  const batches: unknown[][] = []
  try {
    for await (const batch of openaiChunkBatches(response, signal)) batches.push(batch)
    return { batches, error: undefined }
  } catch (error) {
    return { batches, error }
  }
}

const texts = (batches: unknown[][]): string[][] => batches.map((batch) => batch.map((chunk) => readChunk(chunk).text))

describe('openaiChunkBatches: the stream read one network read at a time', () => {
  it('gives one batch per read, joins an event cut between reads, and keeps the order', async () => {
    const whole = event('c')
    const { batches, error } = await collect(bufferedResponse([event('a') + event('b') + whole.slice(0, 9), whole.slice(9) + event('d')]))
    expect(error).toBeUndefined()
    expect(texts(batches)).toEqual([['a', 'b'], ['c', 'd']])
  })

  it('reads events ended by CRLF or LF, and events cut anywhere between reads, to the same text', async () => {
    const lf = ['a', 'b', 'c', 'd'].map(event).join('')
    const crlf = lf.replace(/\n/g, '\r\n')
    for (const whole of [lf, crlf]) {
      for (const cut of [1, 7, whole.length / 2, whole.length - 1]) {
        const { batches, error } = await collect(bufferedResponse([whole.slice(0, cut), whole.slice(cut)]))
        expect(error).toBeUndefined()
        expect(texts(batches).flat().join('')).toBe('abcd')
      }
    }
  })

  it('ends at [DONE] (what follows is not read as the answer) and takes a last event sent without its blank line', async () => {
    expect(texts((await collect(bufferedResponse([event('a'), 'data: [DONE]\n\n', event('after')]))).batches)).toEqual([['a']])
    expect(texts((await collect(bufferedResponse([event('a'), event('last').trimEnd()]))).batches)).toEqual([['a'], ['last']])
  })

  it('an error the server sends in the stream throws the SDK\'s APIError, after the text before it in the same read', async () => {
    const { batches, error } = await collect(bufferedResponse([event('fine') + `data: ${JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } })}\n\n` + event('never')]))
    expect(texts(batches)).toEqual([['fine']])
    expect(error).toBeInstanceOf(APIError)
  })

  it("older llama.cpp's `error:` field (an SSE field a standard reader skips) throws the same APIError with its body, after the text before it", async () => {
    const body = { code: 400, message: 'the request exceeds the available context size, try increasing it', type: 'exceed_context_size_error', n_ctx: 4096 }
    const { batches, error } = await collect(bufferedResponse([event('fine') + `error: ${JSON.stringify(body)}\n\n` + 'data: [DONE]\n\n']))
    expect(texts(batches)).toEqual([['fine']])
    expect(error).toBeInstanceOf(APIError)
    expect((error as APIError).error).toEqual(body)
    // Words that are not JSON are the error's words; any other unknown field is still skipped.
    const plain = await collect(bufferedResponse(['error: out of memory\n\n', 'data: [DONE]\n\n']))
    expect((plain.error as APIError).error).toBe('out of memory')
    expect((await collect(bufferedResponse(['retry-after: 3\n\n' + event('a') + 'data: [DONE]\n\n']))).error).toBeUndefined()
  })

  it('B3: a burst read from the buffer (every read resolves at once) lets the event loop turn while it is read, so what waits for the loop (the journal, the deltas gated on it) goes out as it streams', async () => {
    // A clock that moves 4 ms a read: the breath is due every third read.
    const clock = { now: 0 }
    const breath = new LoopBreath(10, () => (clock.now += 4))
    const reads = Array.from({ length: 30 }, (_, index) => event(`t${index} `))
    const loopTurnedAtBatch: number[] = []
    let batches = 0
    const watchLoop = (): void => {
      setImmediate(() => {
        loopTurnedAtBatch.push(batches)
        if (batches < reads.length) watchLoop()
      })
    }
    watchLoop()
    for await (const batch of openaiChunkBatches(bufferedResponse(reads), new AbortController().signal, { done: false }, breath)) batches += batch.length
    expect(batches).toBe(reads.length)
    // The loop turned while the reads went on, not only once they were all done.
    expect(loopTurnedAtBatch.filter((at) => at < reads.length).length).toBeGreaterThanOrEqual(5)
  })

  it('records whether the stream ended with [DONE]', async () => {
    const ended = { done: false }
    for await (const batch of openaiChunkBatches(bufferedResponse([event('a'), 'data: [DONE]\n\n']), new AbortController().signal, ended)) void batch
    expect(ended.done).toBe(true)
    const cut = { done: false }
    for await (const batch of openaiChunkBatches(bufferedResponse([event('a')]), new AbortController().signal, cut)) void batch
    expect(cut.done).toBe(false)
  })

  it('a JSON body instead of events: an `error` throws the APIError (LM Studio without /v1), a whole chat.completion is one chunk', async () => {
    const json = (body: string): Response => new Response(body, { headers: { 'content-type': 'application/json; charset=utf-8' } })
    const refused = await collect(json('{"error":"Unexpected endpoint or method. (POST /chat/completions)"}'))
    expect(refused.batches).toEqual([])
    expect((refused.error as APIError).error).toBe('Unexpected endpoint or method. (POST /chat/completions)')
    const ended = { done: false }
    const batches: unknown[][] = []
    const whole = json('{"choices":[{"index":0,"message":{"role":"assistant","content":"all"},"finish_reason":"stop"}]}')
    for await (const batch of openaiChunkBatches(whole, new AbortController().signal, ended)) batches.push(batch)
    expect(batches.map((batch) => batch.map(readChunk))).toEqual([[{ text: 'all', reasoning: '', finishReason: 'stop', usage: undefined }]])
    expect(ended.done).toBe(true)
    expect((await collect(json('{"choices": ['))).error).toBeInstanceOf(SyntaxError)
  })

  it('text that is not JSON throws its SyntaxError (a malformed stream), after what came before it', async () => {
    const { batches, error } = await collect(bufferedResponse([event('fine'), 'data: {not json\n\n', event('never')]))
    expect(texts(batches)).toEqual([['fine']])
    expect(error).toBeInstanceOf(SyntaxError)
  })

  it('a caller that stops reading early lets the body go (the connection is not left open)', async () => {
    let cancelled = false
    const body = new ReadableStream<Uint8Array>({
      start(stream) {
        stream.enqueue(new TextEncoder().encode(event('a')))
      },
      cancel() {
        cancelled = true
      }
    })
    for await (const batch of openaiChunkBatches(new Response(body), new AbortController().signal)) {
      expect(texts([batch])).toEqual([['a']])
      break
    }
    expect(cancelled).toBe(true)
  })

  it('a stream its caller aborts ends quietly', async () => {
    const controller = new AbortController()
    const body = new ReadableStream<Uint8Array>({
      start(stream) {
        stream.enqueue(new TextEncoder().encode(event('a')))
      },
      pull() {
        controller.abort()
        throw new DOMException('aborted', 'AbortError')
      }
    })
    const { batches, error } = await collect(new Response(body), controller.signal)
    expect(texts(batches)).toEqual([['a']])
    expect(error).toBeUndefined()
  })
})

describe('readChunk', () => {
  it('reads text, reasoning (either field), the finish reason and usage, and leaves out what has the wrong shape', () => {
    expect(readChunk({ choices: [{ delta: { content: 'hi', reasoning_content: 'why' }, finish_reason: 'stop' }] })).toEqual({
      text: 'hi',
      reasoning: 'why',
      finishReason: 'stop',
      usage: undefined
    })
    expect(readChunk({ choices: [{ delta: { reasoning: 'hmm' } }] }).reasoning).toBe('hmm')
    expect(readChunk({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 4 } }).usage).toEqual({ prompt_tokens: 3, completion_tokens: 4 })
    for (const odd of [null, 7, 'text', { choices: 'none' }, { choices: [{ delta: { content: 5 } }] }, { usage: { prompt_tokens: '3' } }]) {
      expect(readChunk(odd)).toEqual({ text: '', reasoning: '', finishReason: undefined, usage: undefined })
    }
  })
})

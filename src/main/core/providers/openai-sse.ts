import { createParser } from 'eventsource-parser'
import { APIError, OpenAIError } from 'openai'
import { LoopBreath } from './loop-breath'

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null

/**
 * The chunks of an OpenAI-compatible chat completion stream, one array per network read: what the server sent in one
 * read is handled as one batch, so 10,000 tokens sent back to back cost about a hundred steps downstream instead of
 * ten thousand.
 *
 * It reads the SSE with `eventsource-parser` instead of the SDK's stream. The SDK copies the rest of its buffer for
 * every event it cuts off (`iterSSEChunks`), which is quadratic in the size of a read, and it passes each event through
 * four async generators: 10,000 unpaced tokens took main 520–710 ms through it and 145–380 ms here (docs/decisions.md).
 * The SDK's rules are kept: `[DONE]` ends the answer, a `data` with an `error` throws the SDK's `APIError` (so errors are
 * classified as before), text that is not JSON throws its SyntaxError (a malformed stream), and an abort ends quietly.
 * An `error:` field (older llama.cpp) throws the same `APIError`. `end` records whether `[DONE]` came.
 */
export async function* openaiChunkBatches(
  response: Response,
  signal: AbortSignal,
  end: StreamEnd = { done: false },
  breath: LoopBreath = new LoopBreath()
): AsyncGenerator<unknown[]> {
  if (!response.body) throw new OpenAIError('The model server answered the stream with no body.')
  if (isJson(response)) {
    yield [await wholeAnswer(response, signal)]
    end.done = true
    return
  }
  let batch: unknown[] = []
  let done = false
  /** What ended the stream early: thrown once the chunks before it in the same read are out. */
  let failure: { error: unknown } | undefined
  const parser = createParser({
    onEvent(message) {
      if (done) return
      if (message.data.startsWith('[DONE]')) {
        done = true
        end.done = true
        return
      }
      try {
        const data: unknown = JSON.parse(message.data)
        if (isRecord(data) && data['error']) throw new APIError(undefined, data['error'], undefined, response.headers)
        batch.push(data)
      } catch (error) {
        failure = { error }
        done = true
      }
    },
    onError(error) {
      // llama.cpp builds whose server streamed with `server_sent_event(sink, "error", …)` send a failure as an SSE field
      // named `error` (`error: {"code":…,"message":…}`), which SSE itself ignores: read as the error it is, not skipped.
      if (done || error.type !== 'unknown-field' || error.field !== 'error') return
      const words = error.value ?? ''
      let body: object | string = words
      try {
        const parsed: unknown = JSON.parse(words)
        if (typeof parsed === 'object' && parsed !== null) body = parsed
      } catch {
        // Not JSON: the words themselves.
      }
      failure = { error: new APIError(undefined, body, undefined, response.headers) }
      done = true
    }
  })
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  let finished = false
  try {
    for (;;) {
      const read = await reader.read()
      if (read.done) {
        // An event the server ended without its blank line still counts (a cut one is malformed, not dropped).
        parser.feed(`${decoder.decode()}\n\n`)
      } else {
        feedByEvent(parser, decoder.decode(read.value, { stream: true }))
      }
      if (batch.length > 0) {
        const full = batch
        batch = []
        yield full
      }
      if (failure) throw failure.error
      if (read.done) break
      // A burst read from fetch's buffer never waits: the loop turns, and what the answer published goes out.
      const pause = breath.due()
      if (pause) await pause
    }
    finished = true
  } catch (error) {
    // Like the SDK: a stream stopped by its caller ends without an error (the turn knows it cancelled).
    if (signal.aborted) return
    throw error
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined)
  }
}

/** A body that is JSON, not an event stream. */
function isJson(response: Response): boolean {
  const type = response.headers.get('content-type') ?? ''
  return /json/i.test(type) && !/event-stream/i.test(type)
}

/**
 * A stream request answered with one JSON body instead of events, read as one chunk of the whole answer:
 * - a 200 with an `error` is a refusal in the server's words, thrown as the SDK's `APIError` like an error event (LM
 *   Studio answers a path it has no route for so: `{"error":"Unexpected endpoint or method. (POST /chat/completions)"}`,
 *   at its address without `/v1`);
 * - a whole `chat.completion` (a server or proxy that ignores `stream`) becomes one chunk: each choice's `message` as
 *   its `delta`, with its finish reason and the usage.
 * Text that is not JSON throws its SyntaxError (a malformed reply); an abort ends quietly, as a stream's does.
 */
async function wholeAnswer(response: Response, signal: AbortSignal): Promise<unknown> {
  let text: string
  try {
    text = await response.text()
  } catch (error) {
    if (signal.aborted) return {}
    throw error
  }
  const data: unknown = JSON.parse(text)
  if (isRecord(data) && data['error']) throw new APIError(undefined, data['error'], undefined, response.headers)
  if (!isRecord(data) || !Array.isArray(data['choices'])) return data
  const choices = (data['choices'] as unknown[]).map((choice) =>
    isRecord(choice) ? { index: choice['index'], delta: choice['message'], finish_reason: choice['finish_reason'] } : choice
  )
  return { ...data, choices }
}

/**
 * Hands a read to the parser one event at a time. `eventsource-parser` looks for a `\r` from each line to the end of
 * what it was fed, so a read of a thousand `\n`-only events was scanned a thousand times over (quadratic in the size
 * of a read): 8–25 ms of main's time for 10,000 tokens in 64 KB reads, 2–6 ms fed by event. A stream that ends its
 * lines with `\r\n` has no `\n\n` and is fed whole, as before (its next `\r` is never far).
 */
function feedByEvent(parser: { feed(chunk: string): void }, text: string): void {
  let from = 0
  for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n', from)) {
    parser.feed(text.slice(from, end + 2))
    from = end + 2
  }
  if (from < text.length) parser.feed(text.slice(from))
}

/** How a stream ended, filled in as it is read: `done` once the server sent `[DONE]`. */
export interface StreamEnd {
  done: boolean
}

/** What one chunk says, read without trusting its shape: anything missing or of the wrong type is left out. */
export interface ChunkSays {
  text: string
  reasoning: string
  finishReason: string | undefined
  usage: { prompt_tokens: number; completion_tokens: number } | undefined
}

/**
 * Reads one chat completion chunk. Reasoning isn't in the OpenAI schema: DeepSeek and vLLM send it as
 * `reasoning_content`, Ollama and OpenRouter as `reasoning`.
 */
export function readChunk(chunk: unknown): ChunkSays {
  const says: ChunkSays = { text: '', reasoning: '', finishReason: undefined, usage: undefined }
  if (!isRecord(chunk)) return says
  const usage = chunk['usage']
  if (isRecord(usage) && typeof usage['prompt_tokens'] === 'number' && typeof usage['completion_tokens'] === 'number') {
    says.usage = { prompt_tokens: usage['prompt_tokens'], completion_tokens: usage['completion_tokens'] }
  }
  const choices = chunk['choices']
  const choice: unknown = Array.isArray(choices) ? choices[0] : undefined
  if (!isRecord(choice)) return says
  const delta = choice['delta']
  if (isRecord(delta)) {
    if (typeof delta['content'] === 'string') says.text = delta['content']
    if (typeof delta['reasoning_content'] === 'string') says.reasoning = delta['reasoning_content']
    else if (typeof delta['reasoning'] === 'string') says.reasoning = delta['reasoning']
  }
  if (typeof choice['finish_reason'] === 'string' && choice['finish_reason'] !== '') says.finishReason = choice['finish_reason']
  return says
}

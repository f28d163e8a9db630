import { createParser } from 'eventsource-parser'
import { APIError, OpenAIError } from 'openai'

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
 */
export async function* openaiChunkBatches(response: Response, signal: AbortSignal): AsyncGenerator<unknown[]> {
  if (!response.body) throw new OpenAIError('The model server answered the stream with no body.')
  let batch: unknown[] = []
  let done = false
  /** What ended the stream early: thrown once the chunks before it in the same read are out. */
  let failure: { error: unknown } | undefined
  const parser = createParser({
    onEvent(message) {
      if (done) return
      if (message.data.startsWith('[DONE]')) {
        done = true
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

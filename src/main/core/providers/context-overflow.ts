import type { ModelRef } from '../../../shared'
import type { ProviderError } from './errors'

/**
 * A request the server refused because the conversation doesn't fit the model's context, and the context's size when
 * the server said it. Local servers are often run with a smaller context than the model's settings say (llama.cpp's
 * `-c 4096`, LM Studio's context slider, vLLM's `--max-model-len`); each says so in its own words:
 * - llama.cpp: "the request exceeds the available context size, try increasing it" (newer builds add
 *   "request (5012 tokens) exceeds the available context size (4096 tokens)" and `n_ctx` in the error body);
 * - OpenAI, vLLM, OpenRouter, DeepSeek: "This model's maximum context length is 4096 tokens. However, …"
 *   (code `context_length_exceeded`);
 * - Anthropic: "prompt is too long: 210000 tokens > 200000 maximum";
 * - vLLM's input processor, for a prompt alone longer than `--max-model-len`: "The decoder prompt (length 5012) is longer
 *   than the maximum model length of 4096", or "The prompt (total length 5012) is too long to fit into the model
 *   (context length 4096)"; SGLang: "The input (5012 tokens) is longer than the model's context length (4096 tokens)";
 * - LM Studio: "… context length of only 4096 tokens …"; since 0.4, "The number of tokens to keep from the initial
 *   prompt is greater than the context length (n_keep: 5012>= n_ctx: 4096)" (a 400 whose `error` is that string), and,
 *   inside a stream answered 200, "Input does not fit in context length. The input has 5012 tokens, but the context
 *   length only supports 4096 tokens.";
 * - others: "context length exceeded", "context overflow".
 * Ollama mostly truncates silently instead (no error to see); run without context shift it refuses with "the prompt is
 * longer than the context length currently available to the model", naming no size.
 */
export interface ContextOverflow {
  /** The context's size in tokens, when the server named it. */
  limit: number | undefined
}

const overflowWords = [
  /exceeds? the available context size/i,
  /maximum context length/i,
  /context_length_exceeded/i,
  /prompt is too long/i,
  /context (length|window|size)[^.]{0,40}(exceed|overflow|too (long|large|small))/i,
  /(exceed|overflow)[^.]{0,40}context (length|window|size)/i,
  /context length of only/i,
  /context overflow/i,
  /longer than the (maximum model length|model's context length|context length)/i,
  /too long to fit into the model/i,
  /greater than the context length/i,
  /does not fit in (the )?context/i
]

const limitWords = [
  /context size \((\d+) tokens\)/i,
  /maximum context length is (\d+)/i,
  /tokens > (\d+) maximum/i,
  /context length of only (\d+)/i,
  /maximum model length of (\d+)/i,
  /\bn_ctx: ?(\d+)/i,
  /context length only supports (\d+)/i,
  /context (?:length|window|size) \((\d+) tokens\)/i,
  /context (?:length|window|size) (?:is |of )?(\d+)/i
]

/** The overflow this failure reports, or undefined when it is another failure. */
export function contextOverflowOf(error: ProviderError): ContextOverflow | undefined {
  // A refusal of the request itself: 400 (413 from some proxies), or an error event before any token (no status).
  if (error.status !== undefined && error.status !== 400 && error.status !== 413) return undefined
  const text = `${error.message} ${codeOf(error.cause)}`
  if (!overflowWords.some((words) => words.test(text))) return undefined
  return { limit: nCtxOf(error.cause) ?? limitIn(text) }
}

function limitIn(text: string): number | undefined {
  for (const words of limitWords) {
    const found = words.exec(text)?.[1]
    if (found !== undefined) return Number(found)
  }
  return undefined
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null

/** The error body's `code` (`context_length_exceeded`), wherever the SDK put the body. */
function codeOf(cause: unknown): string {
  for (const body of bodiesOf(cause)) if (typeof body['code'] === 'string') return body['code']
  return ''
}

/** llama.cpp's `n_ctx` in its error body. */
function nCtxOf(cause: unknown): number | undefined {
  for (const body of bodiesOf(cause)) {
    const value = body['n_ctx']
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value
  }
  return undefined
}

/** The error's records: the SDK error, its `error` body, and that body's `error`. */
function bodiesOf(cause: unknown): Record<string, unknown>[] {
  const bodies: Record<string, unknown>[] = []
  for (let at: unknown = cause, depth = 0; isRecord(at) && depth < 3; at = at['error'], depth++) bodies.push(at)
  return bodies
}

/** At most this many smaller requests after an overflow, each about half the last (or fitted to the limit named). */
export const overflowRetries = 3

/** What a context holds at least: below this no history is worth sending. */
const smallestWindow = 512

/**
 * The model's context for the next try after an overflow: fitted to the limit the server named (with a margin for
 * Parley's estimate of characters / 4, which counts code and most non-English text short), else half of `tried`. The
 * answer's room shrinks with it, to a quarter of the window at most. Undefined when it can't get smaller.
 */
export function smallerContext(tried: ModelRef, overflow: ContextOverflow): ModelRef | undefined {
  const fitted = overflow.limit === undefined ? undefined : Math.floor(overflow.limit * 0.8)
  const window = fitted !== undefined && fitted < tried.contextWindow ? fitted : Math.floor(tried.contextWindow / 2)
  if (window < smallestWindow) return undefined
  return { ...tried, contextWindow: window, maxOutputTokens: Math.min(tried.maxOutputTokens, Math.floor(window / 4)) }
}

/** How long a size learned from a refusal is used before the settings' size is tried again. */
export const learnedContextMs = 15 * 60_000

/**
 * The contexts servers turned out to have, by provider and model (and the window the settings gave): a later turn
 * starts from the size that was taken, not with a refusal. Kept while main runs, for `learnedContextMs` each: a
 * server restarted with a larger context (llama.cpp's `-c`, LM Studio's slider) gets the settings' size again after
 * that, at the cost of one refusal if it is still small. A changed setting starts afresh at once.
 */
export class LearnedContexts {
  private readonly fitted = new Map<string, { taken: ModelRef; at: number }>()

  constructor(
    private readonly most = 100,
    private readonly now: () => number = Date.now,
    private readonly keepMs = learnedContextMs
  ) {}

  /** The model as the next request should size itself: the settings', or the size a server took lately. */
  fit(model: ModelRef): ModelRef {
    const key = keyOf(model)
    const learned = this.fitted.get(key)
    if (!learned) return model
    if (this.now() - learned.at < this.keepMs) return learned.taken
    this.fitted.delete(key)
    return model
  }

  /** `model` (as the settings have it) was answered at `taken` after a refusal. */
  learn(model: ModelRef, taken: ModelRef): void {
    const key = keyOf(model)
    this.fitted.delete(key)
    this.fitted.set(key, { taken, at: this.now() })
    if (this.fitted.size > this.most) this.fitted.delete(this.fitted.keys().next().value ?? key)
  }
}

const keyOf = (model: ModelRef): string => JSON.stringify([model.providerId, model.model, model.contextWindow, model.maxOutputTokens])

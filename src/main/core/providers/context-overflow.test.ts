import { describe, expect, it } from 'vitest'
import { contextOverflowOf, LearnedContexts, learnedContextMs, smallerContext } from './context-overflow'
import { ProviderError } from './errors'

const refusal = (message: string, status: number | undefined = 400, cause?: unknown) =>
  new ProviderError({ kind: status === undefined ? 'server' : 'bad_request', ...(status !== undefined ? { status } : {}), message, cause })

describe('B2: a refusal because the context is full, in each server’s words', () => {
  it('llama.cpp: the old sentence, the newer one with both sizes, and n_ctx from its error body', () => {
    expect(contextOverflowOf(refusal('the request exceeds the available context size, try increasing it'))).toEqual({ limit: undefined })
    expect(contextOverflowOf(refusal('request (5012 tokens) exceeds the available context size (4096 tokens), try increasing it'))).toEqual({ limit: 4096 })
    const body = { error: { code: 400, message: 'the request exceeds the available context size, try increasing it', type: 'exceed_context_size_error', n_prompt_tokens: 5012, n_ctx: 2048 } }
    expect(contextOverflowOf(refusal(body.error.message, 400, body))).toEqual({ limit: 2048 })
  })

  it('OpenAI, vLLM and OpenRouter; Anthropic; LM Studio', () => {
    const vllm = "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion)."
    expect(contextOverflowOf(refusal(vllm))).toEqual({ limit: 4096 })
    expect(contextOverflowOf(refusal('Request too large', 400, { error: { code: 'context_length_exceeded', message: 'Request too large' } }))).toEqual({ limit: undefined })
    expect(contextOverflowOf(refusal('prompt is too long: 210000 tokens > 200000 maximum'))).toEqual({ limit: 200000 })
    expect(contextOverflowOf(refusal('Trying to keep the first 5000 tokens when context the overflows. However, the model is loaded with context length of only 4096 tokens'))).toEqual({ limit: 4096 })
    // In the stream (no status), as a server may send it.
    expect(contextOverflowOf(refusal('Context length exceeded', undefined))).toEqual({ limit: undefined })
  })

  it("LM Studio 0.4 (a 400, and inside a stream), vLLM's input processor, SGLang and Ollama without context shift", () => {
    const lmStudio = 'The number of tokens to keep from the initial prompt is greater than the context length (n_keep: 13055>= n_ctx: 4096). Try to load the model with a larger context length, or provide a shorter input.'
    expect(contextOverflowOf(refusal(lmStudio))).toEqual({ limit: 4096 })
    expect(contextOverflowOf(refusal('The number of tokens to keep from the initial prompt is greater than the context length. Try to load the model with a larger context length, or provide a shorter input'))).toEqual({ limit: undefined })
    expect(contextOverflowOf(refusal('Input does not fit in context length. The input has 31430 tokens, but the context length only supports 30000 tokens.', undefined))).toEqual({ limit: 30000 })
    expect(contextOverflowOf(refusal('The decoder prompt (length 5951) is longer than the maximum model length of 4096. Make sure that `max_model_len` is no smaller than the number of text tokens.'))).toEqual({ limit: 4096 })
    expect(contextOverflowOf(refusal('The prompt (total length 25938) is too long to fit into the model (context length 4096). Make sure that `max_model_len` is no smaller than the number of text tokens plus multimodal tokens.'))).toEqual({ limit: 4096 })
    expect(contextOverflowOf(refusal("The input (5012 tokens) is longer than the model's context length (4096 tokens)."))).toEqual({ limit: 4096 })
    expect(contextOverflowOf(refusal('the prompt is longer than the context length currently available to the model; shorten the prompt, adjust the context length in settings, or use a model with a longer context length'))).toEqual({ limit: undefined })
  })

  it('not for other refusals, nor for other statuses saying the same words', () => {
    expect(contextOverflowOf(refusal('model "llama3" not found, try pulling it first'))).toBeUndefined()
    expect(contextOverflowOf(refusal('Invalid API key', 401))).toBeUndefined()
    expect(contextOverflowOf(refusal('the request exceeds the available context size', 500))).toBeUndefined()
    expect(contextOverflowOf(refusal('max_tokens must be at most 4096'))).toBeUndefined()
  })
})

describe('B2: the context for the next try', () => {
  const model = { providerId: 'local', model: 'm', contextWindow: 8192, maxOutputTokens: 2048 }

  it('fits the limit the server named, with a margin, and the answer room shrinks with it', () => {
    expect(smallerContext(model, { limit: 4096 })).toEqual({ ...model, contextWindow: 3276, maxOutputTokens: 819 })
  })

  it('halves when no limit was named, or when the named one is not smaller than what was tried', () => {
    expect(smallerContext(model, { limit: undefined })).toEqual({ ...model, contextWindow: 4096, maxOutputTokens: 1024 })
    expect(smallerContext(model, { limit: 200_000 })).toEqual({ ...model, contextWindow: 4096, maxOutputTokens: 1024 })
  })

  it('stops below 512 tokens', () => {
    expect(smallerContext({ ...model, contextWindow: 1000 }, { limit: undefined })).toBeUndefined()
  })
})

describe('B2: the contexts learned from refusals', () => {
  const model = { providerId: 'local', model: 'm', contextWindow: 8192, maxOutputTokens: 2048 }
  const taken = { ...model, contextWindow: 3276, maxOutputTokens: 819 }

  it('a later turn of the same provider and model starts from the size taken; another model, or a changed setting, from its own', () => {
    const contexts = new LearnedContexts()
    expect(contexts.fit(model)).toBe(model)
    contexts.learn(model, taken)
    expect(contexts.fit(model)).toEqual(taken)
    expect(contexts.fit({ ...model, model: 'other' })).toEqual({ ...model, model: 'other' })
    expect(contexts.fit({ ...model, contextWindow: 4096 })).toEqual({ ...model, contextWindow: 4096 })
  })

  it('tries the settings\' size again after a while: the server may have been restarted with a larger context', () => {
    let now = 1_000
    const contexts = new LearnedContexts(100, () => now)
    contexts.learn(model, taken)
    now += learnedContextMs - 1
    expect(contexts.fit(model)).toEqual(taken)
    now += 1
    expect(contexts.fit(model)).toBe(model)
    // Learned again (the server still refused), it is kept again from then.
    contexts.learn(model, taken)
    now += learnedContextMs - 1
    expect(contexts.fit(model)).toEqual(taken)
  })

  it('keeps the newest few', () => {
    const contexts = new LearnedContexts(2)
    for (const name of ['a', 'b', 'c']) contexts.learn({ ...model, model: name }, { ...taken, model: name })
    expect(contexts.fit({ ...model, model: 'a' }).contextWindow).toBe(8192)
    expect(contexts.fit({ ...model, model: 'c' }).contextWindow).toBe(3276)
  })
})

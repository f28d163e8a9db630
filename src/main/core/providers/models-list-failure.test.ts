import { describe, expect, it } from 'vitest'
import { ProviderError } from './errors'
import { describeModelsListFailure } from './models-list-failure'

const noRoute = (baseUrl: string, status = 404): ProviderError =>
  new ProviderError({ kind: status >= 500 ? 'server' : 'bad_request', status, message: 'No route for GET /models.', baseUrl })

describe('describeModelsListFailure', () => {
  it('a 404 from an OpenAI-compatible server at an address without /v1 says to try it with /v1', () => {
    expect(describeModelsListFailure(noRoute('http://127.0.0.1:1234/'), 'openai')).toBe(
      'The model server rejected the request (404): No route for GET /models. ' +
        'OpenAI-compatible servers usually answer under /v1: try http://127.0.0.1:1234/v1'
    )
  })

  it("LM Studio's 200 saying it has no such route (no status: it is not a 404) says to try /v1 too", () => {
    const lmStudio = new ProviderError({ kind: 'server', message: 'Unexpected endpoint or method. (GET /models)', baseUrl: 'http://127.0.0.1:1234' })
    expect(describeModelsListFailure(lmStudio, 'openai')).toBe(
      'The model server returned an error: Unexpected endpoint or method. (GET /models). ' +
        'OpenAI-compatible servers usually answer under /v1: try http://127.0.0.1:1234/v1'
    )
  })

  it('says nothing more at an address with /v1, for another status, or for Anthropic (its SDK adds /v1 itself)', () => {
    const plain = 'The model server rejected the request (404): No route for GET /models.'
    expect(describeModelsListFailure(noRoute('http://127.0.0.1:1234/v1'), 'openai')).toBe(plain)
    expect(describeModelsListFailure(noRoute('http://127.0.0.1:1234', 400), 'openai')).toBe(
      'The model server rejected the request (400): No route for GET /models.'
    )
    expect(describeModelsListFailure(noRoute('https://proxy.example'), 'anthropic')).toBe(plain)
  })
})

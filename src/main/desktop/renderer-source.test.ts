import { describe, expect, it } from 'vitest'
import { chooseRendererUrl } from './renderer-source'

const builtPageUrl = 'file:///app/out/renderer/index.html'

describe('where the desktop window loads its page from (issue 13, finding 10)', () => {
  it('a packaged app always loads its own built page, whatever ELECTRON_RENDERER_URL says', () => {
    for (const devServerUrl of ['http://localhost:5173', 'https://evil.example', 'file:///tmp/evil.html']) {
      expect(chooseRendererUrl({ packaged: true, devServerUrl, builtPageUrl })).toBe(builtPageUrl)
    }
  })

  it('a development run uses the dev server on this machine', () => {
    expect(chooseRendererUrl({ packaged: false, devServerUrl: 'http://localhost:5173/', builtPageUrl })).toBe('http://localhost:5173/')
    expect(chooseRendererUrl({ packaged: false, devServerUrl: 'http://127.0.0.1:5173', builtPageUrl })).toBe('http://127.0.0.1:5173')
    expect(chooseRendererUrl({ packaged: false, devServerUrl: undefined, builtPageUrl })).toBe(builtPageUrl)
    expect(chooseRendererUrl({ packaged: false, devServerUrl: '', builtPageUrl })).toBe(builtPageUrl)
  })

  it('never a page elsewhere, even in development', () => {
    for (const devServerUrl of ['https://evil.example', 'http://evil.example:5173', 'file:///tmp/evil.html', 'http://user:pw@localhost:5173', 'not a url']) {
      expect(chooseRendererUrl({ packaged: false, devServerUrl, builtPageUrl }), devServerUrl).toBe(builtPageUrl)
    }
  })
})

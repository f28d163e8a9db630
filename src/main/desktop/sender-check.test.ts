import { describe, expect, it } from 'vitest'
import { isRendererUrl, isTrustedSender, type TrustedRenderer } from './sender-check'

const packaged: TrustedRenderer = {
  rendererUrl: 'file:///opt/Parley/resources/app/out/renderer/index.html',
  isOurWindow: (id) => id === 1
}
const dev: TrustedRenderer = { rendererUrl: 'http://localhost:5173/', isOurWindow: (id) => id === 1 }
const main = (url: string) => ({ url, isMainFrame: true, webContentsId: 1 })

describe('which frames may use the bridge', () => {
  it('serves the main frame of our window showing our packaged renderer, with any query or fragment', () => {
    for (const url of [
      'file:///opt/Parley/resources/app/out/renderer/index.html',
      'file:///opt/Parley/resources/app/out/renderer/index.html#/settings',
      'file:///opt/Parley/resources/app/out/renderer/index.html?x=1'
    ]) {
      expect(isTrustedSender(main(url), packaged), url).toBe(true)
    }
  })

  it('refuses subframes, other windows, other files, other sites and frames that are gone', () => {
    const ours = 'file:///opt/Parley/resources/app/out/renderer/index.html'
    expect(isTrustedSender({ url: ours, isMainFrame: false, webContentsId: 1 }, packaged)).toBe(false)
    expect(isTrustedSender({ url: ours, isMainFrame: true, webContentsId: 2 }, packaged)).toBe(false)
    for (const url of [
      'file:///opt/Parley/resources/app/out/renderer/other.html',
      'file:///tmp/index.html',
      'file:///opt/Parley/resources/app/out/renderer/index.html/../../../../tmp/x.html',
      'https://evil.example/index.html',
      'http://localhost:5173/',
      'about:blank',
      'data:text/html,<h1>hi</h1>',
      '',
      'not a url'
    ]) {
      expect(isTrustedSender(main(url), packaged), url).toBe(false)
    }
  })

  it('under the dev server, serves pages of its origin only', () => {
    expect(isTrustedSender(main('http://localhost:5173/'), dev)).toBe(true)
    expect(isTrustedSender(main('http://localhost:5173/index.html?t=1'), dev)).toBe(true)
    for (const url of ['http://localhost:5174/', 'http://127.0.0.1:5173/', 'https://localhost:5173/', 'file:///index.html']) {
      expect(isTrustedSender(main(url), dev), url).toBe(false)
    }
  })

  it('trusts nothing when our own renderer URL is not a web or file address', () => {
    expect(isTrustedSender(main('about:blank'), { rendererUrl: 'about:blank', isOurWindow: () => true })).toBe(false)
    expect(isTrustedSender(main('x'), { rendererUrl: 'not a url', isOurWindow: () => true })).toBe(false)
  })
})

describe('which addresses show our renderer (for will-navigate)', () => {
  it('is the same file or the dev server origin', () => {
    expect(isRendererUrl('file:///app/out/renderer/index.html#x', 'file:///app/out/renderer/index.html')).toBe(true)
    expect(isRendererUrl('https://example.com/', 'file:///app/out/renderer/index.html')).toBe(false)
    expect(isRendererUrl('http://localhost:5173/a', 'http://localhost:5173/')).toBe(true)
    expect(isRendererUrl('http://localhost:5173.evil.example/', 'http://localhost:5173/')).toBe(false)
  })
})

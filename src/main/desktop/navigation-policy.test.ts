import { describe, expect, it } from 'vitest'
import { decideNavigation } from './navigation-policy'

const packaged = 'file:///opt/Parley/resources/app/out/renderer/index.html'
const devServer = 'http://localhost:5173/'

describe('where the window may go', () => {
  it('stays on our renderer: the same file with any fragment or query, or a page of the dev server', () => {
    expect(decideNavigation(`${packaged}#/settings`, packaged)).toBe('allow')
    expect(decideNavigation(`${packaged}?reload=1`, packaged)).toBe('allow')
    expect(decideNavigation('http://localhost:5173/index.html', devServer)).toBe('allow')
  })

  it('hands web pages to the user’s browser', () => {
    for (const url of [
      'https://example.com/',
      'http://example.com/docs?q=1#top',
      'https://user@example.com/',
      'HTTPS://EXAMPLE.COM/',
      // another local server is a web page too, not our renderer
      'http://localhost:5174/',
      'http://127.0.0.1:11434/v1'
    ]) {
      expect(decideNavigation(url, packaged), url).toBe('open-external')
    }
    expect(decideNavigation('http://localhost:5174/', devServer)).toBe('open-external')
  })

  it('refuses every other address: other files, scripts, data, custom schemes, nonsense', () => {
    for (const url of [
      'file:///etc/passwd',
      'file:///opt/Parley/resources/app/out/renderer/other.html',
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox',
      'about:blank',
      'chrome://settings',
      'devtools://devtools/bundled/inspector.html',
      'mailto:someone@example.com',
      'ms-settings:privacy',
      'smb://server/share',
      'slack://open',
      'blob:https://example.com/1234',
      'https://',
      'not a url',
      ''
    ]) {
      expect(decideNavigation(url, packaged), url).toBe('deny')
    }
  })

  it('never opens a second window, even of our own renderer; web links still go to the browser', () => {
    expect(decideNavigation(packaged, packaged, 'new-window')).toBe('deny')
    expect(decideNavigation(devServer, devServer, 'new-window')).toBe('deny')
    expect(decideNavigation('https://example.com/', packaged, 'new-window')).toBe('open-external')
    expect(decideNavigation('file:///etc/passwd', packaged, 'new-window')).toBe('deny')
    expect(decideNavigation('javascript:alert(1)', packaged, 'new-window')).toBe('deny')
  })
})

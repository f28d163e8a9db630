import { describe, expect, it } from 'vitest'
import { secureWebPreferences } from './window-preferences'

describe("the window's web preferences", () => {
  it('isolate and sandbox the page, with no Node in it, its workers or its frames', () => {
    expect(secureWebPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false
    })
  })

  it('keep web security on, refuse insecure content and webviews', () => {
    expect(secureWebPreferences).toMatchObject({ webSecurity: true, allowRunningInsecureContent: false, webviewTag: false })
  })

  it('keep a hidden window applying events at full speed', () => {
    expect(secureWebPreferences.backgroundThrottling).toBe(false)
  })
})

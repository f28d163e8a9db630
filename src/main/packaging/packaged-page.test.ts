import { describe, expect, it } from 'vitest'
import { builtPageUrl, chooseRendererUrl } from '../desktop/renderer-source'
import { fuseValue } from './fuses'

// The packaged app's page and its fuses must agree: the page comes only from app.asar, and the file:// privileges
// stay exactly as long as the page needs them.
describe('the packaged window’s page and the fuses (issue 13, finding 10)', () => {
  const asarPage = builtPageUrl('/opt/Parley/resources/app.asar/out/main')

  it('is the built page inside app.asar, whatever ELECTRON_RENDERER_URL says, and only app.asar is loaded', () => {
    expect(asarPage).toBe('file:///opt/Parley/resources/app.asar/out/renderer/index.html')
    expect(chooseRendererUrl({ packaged: true, devServerUrl: 'http://localhost:5173', builtPageUrl: asarPage })).toBe(asarPage)
    expect(fuseValue('OnlyLoadAppFromAsar')).toBe(true)
    expect(fuseValue('EnableEmbeddedAsarIntegrityValidation')).toBe(true)
  })

  it('keeps file:// privileges only while the page is a file:// page', () => {
    // Off, Chromium's rules refuse the page's module script from file:// (CORS) and the window stays blank.
    const pageIsFile = new URL(asarPage).protocol === 'file:'
    expect(fuseValue('GrantFileProtocolExtraPrivileges')).toBe(pageIsFile)
  })
})

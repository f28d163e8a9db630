import { describe, expect, it } from 'vitest'
import { settingsRecoveredNotice } from './settings-recovered'

describe('settingsRecoveredNotice', () => {
  it('says the file could not be read, the defaults are in use, and where the old file is', () => {
    const notice = settingsRecoveredNotice({ backupPath: '/data/settings.json.corrupt-1', reason: 'it is not JSON (Unexpected token)' })
    expect(notice).toMatchObject({ id: 'settings-recovered', tone: 'warning', dismissible: true })
    expect(notice?.text).toContain('could not read its settings file (it is not JSON (Unexpected token))')
    expect(notice?.text).toContain('default settings are in use')
    expect(notice?.text).toContain('/data/settings.json.corrupt-1')
  })

  it('says so when no copy was kept, and keeps a long reason to one short line', () => {
    const notice = settingsRecoveredNotice({ backupPath: '', reason: `✖ Invalid input\n  → at providers\n${'x'.repeat(500)}` })
    expect(notice?.text).toContain('left where it was')
    expect(notice?.text).not.toContain('\n')
    expect(notice?.text.length).toBeLessThan(400)
  })

  it('shows nothing when the settings were read fine', () => {
    expect(settingsRecoveredNotice(undefined)).toBeUndefined()
  })
})

import { describe, expect, it } from 'vitest'
import { dataRecoveredNotice } from './data-recovered'

describe('dataRecoveredNotice', () => {
  it('says which file was damaged, that the defaults are in use, and where the damaged copy is', () => {
    const notice = dataRecoveredNotice([
      { file: 'settings.json', backupPath: '/data/settings.json.corrupt-1', reason: 'it is not JSON (Unexpected token)', kept: 0, lost: 1 }
    ])
    expect(notice).toMatchObject({ id: 'data-recovered', tone: 'warning', dismissible: true })
    expect(notice?.text).toContain('settings file damaged (it is not JSON (Unexpected token))')
    expect(notice?.text).toContain('default settings are in use')
    expect(notice?.text).toContain('/data/settings.json.corrupt-1')
  })

  it('names what was kept and lost of each file, in one banner', () => {
    const notice = dataRecoveredNotice([
      { file: 'sessions.json', backupPath: '/d/sessions.json.corrupt-2', reason: '1 chat is not valid', kept: 41, lost: 1 },
      { file: 'journal.jsonl', backupPath: '/d/journal.jsonl.corrupt-2', reason: '3 damaged records were left out', kept: 90, lost: 3 }
    ])
    expect(notice?.text).toContain('list of chats damaged (1 chat is not valid). Parley kept 41 entries and left out 1')
    expect(notice?.text).toContain('journal (prompts waiting and answers not yet shown) damaged')
    expect(notice?.text).toContain('left out 3')
  })

  it('says so when no copy was kept, and keeps a long reason to one short line', () => {
    const notice = dataRecoveredNotice([
      { file: 'secrets.json', backupPath: '', reason: `✖ Invalid input\n  → at providers\n${'x'.repeat(500)}`, kept: 0, lost: 1 }
    ])
    expect(notice?.text).toContain('No copy of the damaged file could be kept')
    expect(notice?.text).not.toContain('\n')
    expect(notice?.text.length).toBeLessThan(500)
  })

  it('says what a new message store means: the window keeps what it shows, older chats’ answers start without it', () => {
    const notice = dataRecoveredNotice([
      { file: 'session-log', backupPath: '/d/session-log.corrupt-3', reason: 'its data.mdb: it is not an lmdb store', kept: 0, lost: 1 }
    ])
    expect(notice?.text).toContain('message store (main’s copy of every chat) damaged (its data.mdb: it is not an lmdb store)')
    expect(notice?.text).toContain('started a new one')
    expect(notice?.text).toContain('The damaged store was kept at /d/session-log.corrupt-3.')
  })

  it('shows nothing when every file was read fine', () => {
    expect(dataRecoveredNotice(undefined)).toBeUndefined()
    expect(dataRecoveredNotice([])).toBeUndefined()
  })
})

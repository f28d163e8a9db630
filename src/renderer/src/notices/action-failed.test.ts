import { describe, expect, it } from 'vitest'
import { actionFailedNotice } from './action-failed'

describe('actionFailedNotice', () => {
  it('says what did not happen, then why, and can be closed', () => {
    expect(actionFailedNotice('Parley could not stop the answer', new Error('Disconnected'))).toEqual({
      id: 'action',
      tone: 'error',
      text: 'Parley could not stop the answer: Disconnected',
      dismissible: true
    })
  })
})

import { describe, expect, it } from 'vitest'
import { connectionNotice } from './connection'

describe('connectionNotice', () => {
  it('shows nothing while connected, and says what is happening otherwise', () => {
    expect(connectionNotice('open')).toBeUndefined()
    expect(connectionNotice('connecting')?.text).toMatch(/Connecting/)
    expect(connectionNotice('reconnecting')).toMatchObject({ tone: 'warning', dismissible: false })
    expect(connectionNotice('closed')).toMatchObject({ tone: 'error' })
  })
})

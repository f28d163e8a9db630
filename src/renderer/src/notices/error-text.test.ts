import { describe, expect, it } from 'vitest'
import { ParleyError } from '../../../shared'
import { errorText } from './error-text'

describe('errorText', () => {
  it('reads the message of an Error, a ParleyError and an error payload', () => {
    expect(errorText(new Error('disk full'))).toBe('disk full')
    expect(errorText(new ParleyError('EmptyPrompt', 'Write a prompt first.'))).toBe('Write a prompt first.')
    expect(errorText({ code: 'BadRequest', message: 'baseUrl: Invalid URL' })).toBe('baseUrl: Invalid URL')
  })

  it('falls back to a sentence when there is nothing readable', () => {
    expect(errorText(undefined)).toBe('Something went wrong.')
    expect(errorText(new Error(''), 'Could not save.')).toBe('Could not save.')
    expect(errorText({ message: 42 })).toBe('Something went wrong.')
  })
})

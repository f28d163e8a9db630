import { describe, expect, it } from 'vitest'
import { copyLabel } from './copy-outcome'

describe('a Copy button’s words', () => {
  it('says its label, then what came of a click', () => {
    expect(copyLabel(undefined)).toBe('Copy')
    expect(copyLabel(undefined, 'Copy table')).toBe('Copy table')
    expect(copyLabel('copied', 'Copy table')).toBe('Copied')
    expect(copyLabel('failed')).toBe('Could not copy')
  })
})

import { describe, expect, it } from 'vitest'
import { closeAction } from './close-guard'

describe('closing Settings', () => {
  it('closes at once with nothing unsaved', () => {
    expect(closeAction({ dirty: false, asking: false }, 'button')).toBe('close')
    expect(closeAction({ dirty: false, asking: false }, 'escape')).toBe('close')
  })

  it('asks first when there are unsaved edits, however it is closed', () => {
    expect(closeAction({ dirty: true, asking: false }, 'button')).toBe('ask')
    expect(closeAction({ dirty: true, asking: false }, 'escape')).toBe('ask')
  })

  it('while asking, Esc keeps editing and another close keeps asking', () => {
    expect(closeAction({ dirty: true, asking: true }, 'escape')).toBe('keep-editing')
    expect(closeAction({ dirty: true, asking: true }, 'button')).toBe('ask')
  })
})

import { describe, expect, it } from 'vitest'
import { composerKeyAction, type KeyPress } from './keys'

function press(key: string, modifiers: Partial<KeyPress> = {}): KeyPress {
  return { key, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, isComposing: false, ...modifiers }
}

describe('composerKeyAction', () => {
  it('sends on Enter and leaves Shift+Enter to add a line', () => {
    expect(composerKeyAction(press('Enter'))).toBe('send')
    expect(composerKeyAction(press('Enter', { ctrlKey: true }))).toBe('send')
    expect(composerKeyAction(press('Enter', { shiftKey: true }))).toBe('none')
  })

  it('does not send while an input method is composing', () => {
    expect(composerKeyAction(press('Enter', { isComposing: true }))).toBe('none')
  })

  it('stops on Esc', () => {
    expect(composerKeyAction(press('Escape'))).toBe('stop')
    expect(composerKeyAction(press('Escape', { ctrlKey: true }))).toBe('none')
  })

  it('ignores other keys', () => {
    expect(composerKeyAction(press('a'))).toBe('none')
  })
})

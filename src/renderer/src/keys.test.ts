import { describe, expect, it } from 'vitest'
import { appShortcut, composerKeyAction, type KeyPress } from './keys'

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

describe('appShortcut', () => {
  it('starts a new chat on Ctrl+N and Cmd+N', () => {
    expect(appShortcut(press('n', { ctrlKey: true }))).toBe('new-session')
    expect(appShortcut(press('N', { metaKey: true }))).toBe('new-session')
  })

  it('leaves N alone without the modifier, or with Shift', () => {
    expect(appShortcut(press('n'))).toBe('none')
    expect(appShortcut(press('n', { ctrlKey: true, shiftKey: true }))).toBe('none')
  })
})

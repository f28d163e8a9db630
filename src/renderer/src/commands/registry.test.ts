import { describe, expect, it } from 'vitest'
import type { KeyPress } from '../keys'
import { CommandHandlers } from './handlers'
import { chordLabel, commandById, commandForKey, commands, shortcutText, type KeyPlace } from './registry'

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  isComposing: false,
  ...mods
})
const nowhere: KeyPlace = { inText: false, inEmptyComposer: false }
const typing: KeyPlace = { inText: true, inEmptyComposer: false }
const emptyComposer: KeyPlace = { inText: true, inEmptyComposer: true }

describe('the command registry’s shortcuts', () => {
  it('take Cmd on a Mac and Ctrl elsewhere: on a Mac, Ctrl+B, Ctrl+K and Ctrl+N are left to the text field', () => {
    expect(commandForKey(press('n', { metaKey: true }), typing, true)).toBe('new-chat')
    expect(commandForKey(press('n', { ctrlKey: true }), typing, true)).toBeUndefined()
    expect(commandForKey(press('k', { ctrlKey: true }), typing, true)).toBeUndefined()
    expect(commandForKey(press('b', { ctrlKey: true }), typing, true)).toBeUndefined()
    expect(commandForKey(press('n', { ctrlKey: true }), typing, false)).toBe('new-chat')
    expect(commandForKey(press('n', { metaKey: true }), typing, false)).toBeUndefined()
    expect(commandForKey(press('n', { metaKey: true, ctrlKey: true }), typing, true)).toBeUndefined()
    // Keys without a modifier are the same on both.
    expect(commandForKey(press('Escape'), typing, true)).toBe('stop')
    expect(shortcutText('new-chat', true)).toBe('⌘N')
    expect(shortcutText('new-chat', false)).toBe('Ctrl+N')
    expect(shortcutText('toggle-sidebar', false)).toBe('Ctrl+B')
  })


  it('Ctrl+N and Cmd+N make a new chat, even while typing; Ctrl+K searches; Ctrl+Shift+P opens the palette', () => {
    expect(commandForKey(press('n', { ctrlKey: true }), typing)).toBe('new-chat')
    expect(commandForKey(press('n', { metaKey: true }), nowhere, true)).toBe('new-chat')
    expect(commandForKey(press('k', { ctrlKey: true }), typing)).toBe('search')
    expect(commandForKey(press('K', { metaKey: true }), nowhere, true)).toBe('search')
    expect(commandForKey(press('P', { ctrlKey: true, shiftKey: true }), typing)).toBe('command-palette')
    expect(commandForKey(press('p', { ctrlKey: true }), nowhere)).toBeUndefined()
    expect(commandForKey(press('n'), nowhere)).toBeUndefined()
    expect(commandForKey(press('n', { ctrlKey: true, altKey: true }), nowhere)).toBeUndefined()
  })

  it('Ctrl+Shift+C copies and Ctrl+Shift+R regenerates the last answer; without Shift they are the page’s own keys', () => {
    expect(commandForKey(press('C', { ctrlKey: true, shiftKey: true }), typing)).toBe('copy-last-answer')
    expect(commandForKey(press('R', { metaKey: true, shiftKey: true }), nowhere, true)).toBe('regenerate-last-answer')
    expect(commandForKey(press('c', { ctrlKey: true }), typing)).toBeUndefined()
    expect(commandForKey(press('r', { ctrlKey: true }), nowhere)).toBeUndefined()
  })

  it('Ctrl+Shift+F and Cmd+Shift+F filter the chats by title, even while typing', () => {
    expect(commandForKey(press('F', { ctrlKey: true, shiftKey: true }), typing)).toBe('filter-chats')
    expect(commandForKey(press('f', { metaKey: true, shiftKey: true }), nowhere, true)).toBe('filter-chats')
    expect(commandForKey(press('f', { ctrlKey: true }), nowhere)).toBeUndefined()
  })

  it('? opens the sheet outside text fields only, whatever Shift the layout needs for it', () => {
    expect(commandForKey(press('?', { shiftKey: true }), nowhere)).toBe('shortcuts')
    expect(commandForKey(press('?'), nowhere)).toBe('shortcuts')
    expect(commandForKey(press('?', { shiftKey: true }), typing)).toBeUndefined()
  })

  it('Up edits the last prompt only in the empty composer', () => {
    expect(commandForKey(press('ArrowUp'), emptyComposer)).toBe('edit-last-prompt')
    expect(commandForKey(press('ArrowUp'), typing)).toBeUndefined()
    expect(commandForKey(press('ArrowUp'), nowhere)).toBeUndefined()
    expect(commandForKey(press('ArrowUp', { shiftKey: true }), emptyComposer)).toBeUndefined()
  })

  it('End jumps to the newest message outside text fields only (in one it moves the caret), with no modifier', () => {
    expect(commandForKey(press('End'), nowhere)).toBe('jump-to-newest')
    expect(commandForKey(press('End'), typing)).toBeUndefined()
    expect(commandForKey(press('End'), emptyComposer)).toBeUndefined()
    expect(commandForKey(press('End', { ctrlKey: true }), nowhere)).toBeUndefined()
    expect(commandForKey(press('End', { shiftKey: true }), nowhere)).toBeUndefined()
  })

  it('Esc stops; a key pressed while an input method composes is never a command', () => {
    expect(commandForKey(press('Escape'), typing)).toBe('stop')
    expect(commandForKey(press('Escape', { isComposing: true }), typing)).toBeUndefined()
    expect(commandForKey(press('n', { ctrlKey: true, isComposing: true }), typing)).toBeUndefined()
  })

  it('no two commands share a shortcut, and every command has a title', () => {
    const chords = commands.flatMap((command) => (command.shortcut ? [JSON.stringify(command.shortcut.chord)] : []))
    expect(new Set(chords).size).toBe(chords.length)
    for (const command of commands) expect(command.title.length).toBeGreaterThan(0)
  })

  it('writes shortcuts the way each platform does', () => {
    expect(chordLabel(commandById('copy-last-answer').shortcut!.chord, false)).toBe('Ctrl+Shift+C')
    expect(chordLabel(commandById('copy-last-answer').shortcut!.chord, true)).toBe('⌘⇧C')
    expect(chordLabel(commandById('stop').shortcut!.chord, false)).toBe('Esc')
    expect(chordLabel(commandById('edit-last-prompt').shortcut!.chord, false)).toBe('↑')
    expect(chordLabel(commandById('jump-to-newest').shortcut!.chord, true)).toBe('End')
  })
})

describe('command handlers', () => {
  it('runs the newest handler, and the one before once the newest is gone; nothing handled is reported', () => {
    const handlers = new CommandHandlers()
    const ran: string[] = []
    expect(handlers.run('new-chat')).toBe(false)
    const offApp = handlers.register('new-chat', () => ran.push('app'))
    const offDialog = handlers.register('new-chat', () => ran.push('dialog'))
    expect(handlers.run('new-chat')).toBe(true)
    offDialog()
    handlers.run('new-chat')
    offApp()
    expect(handlers.has('new-chat')).toBe(false)
    expect(ran).toEqual(['dialog', 'app'])
  })

  it('tells its subscribers when handlers come and go', () => {
    const handlers = new CommandHandlers()
    let told = 0
    handlers.subscribe(() => (told += 1))
    const before = handlers.getSnapshot()
    handlers.register('stop', () => undefined)()
    expect(told).toBe(2)
    expect(handlers.getSnapshot()).not.toBe(before)
  })
})

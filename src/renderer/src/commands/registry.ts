import type { KeyPress } from '../keys'
import { isMac } from './platform'

/** Every action people can take by name: the shortcuts, the command palette and the shortcuts sheet read this list. */
export type CommandId =
  | 'new-chat'
  | 'search'
  | 'command-palette'
  | 'shortcuts'
  | 'stop'
  | 'edit-last-prompt'
  | 'copy-last-answer'
  | 'regenerate-last-answer'
  | 'open-settings'
  | 'toggle-sidebar'
  | 'filter-chats'
  | 'theme-system'
  | 'theme-light'
  | 'theme-dark'
  | 'export-chat-markdown'
  | 'export-chat-json'
  | 'export-all-json'
  | 'import-chats'
  | 'attach-files'
  | 'jump-to-newest'

/** A key with Ctrl (Cmd on a Mac) and Shift, or none. */
export interface Chord {
  key: string
  mod: boolean
  shift: boolean
}

/**
 * Where a shortcut applies: anywhere in the window; only when focus is not in a text field (a plain key such as `?`
 * must still type there); only in the composer while it is empty (Up edits the last prompt, as in a terminal).
 */
export type ShortcutScope = 'anywhere' | 'outside-text' | 'empty-composer'

export interface Command {
  id: CommandId
  title: string
  section: 'Chats' | 'Answers' | 'Window'
  /** Its shortcut; a command without one is still in the palette. */
  shortcut: { chord: Chord; scope: ShortcutScope } | null
}

const chord = (key: string, mod: boolean, shift = false): Chord => ({ key, mod, shift })

export const commands: readonly Command[] = [
  { id: 'new-chat', title: 'New chat', section: 'Chats', shortcut: { chord: chord('n', true), scope: 'anywhere' } },
  { id: 'attach-files', title: 'Attach files', section: 'Chats', shortcut: { chord: chord('u', true), scope: 'anywhere' } },
  { id: 'search', title: 'Search all chats', section: 'Chats', shortcut: { chord: chord('k', true), scope: 'anywhere' } },
  {
    id: 'command-palette',
    title: 'Command palette',
    section: 'Window',
    shortcut: { chord: chord('p', true, true), scope: 'anywhere' }
  },
  { id: 'shortcuts', title: 'Keyboard shortcuts', section: 'Window', shortcut: { chord: chord('?', false), scope: 'outside-text' } },
  { id: 'stop', title: 'Stop the answer', section: 'Answers', shortcut: { chord: chord('Escape', false), scope: 'anywhere' } },
  {
    id: 'edit-last-prompt',
    title: 'Edit the last prompt',
    section: 'Chats',
    shortcut: { chord: chord('ArrowUp', false), scope: 'empty-composer' }
  },
  {
    id: 'copy-last-answer',
    title: 'Copy the last answer',
    section: 'Answers',
    shortcut: { chord: chord('c', true, true), scope: 'anywhere' }
  },
  {
    id: 'regenerate-last-answer',
    title: 'Regenerate the last answer',
    section: 'Answers',
    shortcut: { chord: chord('r', true, true), scope: 'anywhere' }
  },
  {
    id: 'jump-to-newest',
    title: 'Jump to the newest message',
    section: 'Chats',
    shortcut: { chord: chord('End', false), scope: 'outside-text' }
  },
  { id: 'open-settings', title: 'Settings', section: 'Window', shortcut: { chord: chord(',', true), scope: 'anywhere' } },
  { id: 'toggle-sidebar', title: 'Show or hide the chats', section: 'Window', shortcut: { chord: chord('b', true), scope: 'anywhere' } },
  { id: 'filter-chats', title: 'Filter chats by title', section: 'Chats', shortcut: { chord: chord('f', true, true), scope: 'anywhere' } },
  { id: 'theme-system', title: 'Theme: follow the system', section: 'Window', shortcut: null },
  { id: 'theme-light', title: 'Theme: light', section: 'Window', shortcut: null },
  { id: 'theme-dark', title: 'Theme: dark', section: 'Window', shortcut: null },
  { id: 'export-chat-markdown', title: 'Export this chat as Markdown', section: 'Chats', shortcut: null },
  { id: 'export-chat-json', title: 'Export this chat as JSON', section: 'Chats', shortcut: null },
  { id: 'export-all-json', title: 'Export all chats as JSON', section: 'Chats', shortcut: null },
  { id: 'import-chats', title: 'Import chats (Parley JSON or ChatGPT conversations.json)…', section: 'Chats', shortcut: null }
]

/** Where the key was pressed. */
export interface KeyPlace {
  /** Focus is in a text field (the composer, an editor, a settings field). */
  inText: boolean
  /** Focus is in the composer and it is empty. */
  inEmptyComposer: boolean
}

function matches(shortcut: NonNullable<Command['shortcut']>, press: KeyPress, place: KeyPlace, mac: boolean): boolean {
  const { chord: wanted, scope } = shortcut
  if (scope === 'outside-text' && place.inText) return false
  if (scope === 'empty-composer' && !place.inEmptyComposer) return false
  // Cmd on a Mac, Ctrl elsewhere: on a Mac, Ctrl+B, Ctrl+K, Ctrl+N… are the text field's own (back a letter, delete to
  // the end of the line, down a line), and elsewhere the Windows (Super) key belongs to the desktop.
  const mod = mac ? press.metaKey : press.ctrlKey
  const other = mac ? press.ctrlKey : press.metaKey
  if (press.altKey || other || mod !== wanted.mod) return false
  // A printed symbol such as `?` already says whether Shift was down (and which keys need it depends on the layout).
  const symbol = wanted.key.length === 1 && !/[a-z0-9]/i.test(wanted.key)
  if (!symbol && press.shiftKey !== wanted.shift) return false
  return press.key.length === 1 ? press.key.toLowerCase() === wanted.key : press.key === wanted.key
}

/** The command a key press asks for, if any. A key pressed while an input method composes is never a command. */
export function commandForKey(press: KeyPress, place: KeyPlace, mac = isMac()): CommandId | undefined {
  if (press.isComposing) return undefined
  return commands.find((command) => command.shortcut !== null && matches(command.shortcut, press, place, mac))?.id
}

const keyNames: Record<string, string> = { ArrowUp: '↑', Escape: 'Esc', End: 'End' }

/** How a shortcut is written for people: `Ctrl+Shift+C`, or `⌘⇧C` on a Mac. */
export function chordLabel(wanted: Chord, mac: boolean): string {
  const key = keyNames[wanted.key] ?? wanted.key.toUpperCase()
  if (mac) return `${wanted.mod ? '⌘' : ''}${wanted.shift ? '⇧' : ''}${key}`
  return [wanted.mod ? 'Ctrl' : '', wanted.shift ? 'Shift' : '', key].filter(Boolean).join('+')
}

/** A command's shortcut as written on this platform (`Ctrl+N`, `⌘N`), for a label or a tooltip; '' if it has none. */
export function shortcutText(id: CommandId, mac = isMac()): string {
  const { shortcut } = commandById(id)
  return shortcut ? chordLabel(shortcut.chord, mac) : ''
}

export function commandById(id: CommandId): Command {
  const command = commands.find((entry) => entry.id === id)
  if (!command) throw new Error(`no command ${id}`)
  return command
}

import type { ParleyEvent } from '../../../shared'
import { writeBeforeScreen } from '../chat/first-screen'
import { preferenceStorage, type PreferenceStorage } from '../look/theme'

/** Where unsent prompts are kept: the window's localStorage (synchronous, so a chat opens with its draft in place). */
export interface DraftStorage extends PreferenceStorage {
  removeItem(key: string): void
}

/** The window's storage for drafts, or undefined where touching it throws (storage disabled): drafts then live in the box only. */
export function draftStorage(): DraftStorage | undefined {
  return preferenceStorage()
}

/** A chat's draft key; `undefined` is the box with no chat yet (a first prompt, or one typed while "New chat" opens). */
export function draftKey(sessionId: string | undefined): string {
  return sessionId === undefined ? 'parley.draft.new' : `parley.draft.${sessionId}`
}

/** Where the files attached to a chat's unsent prompt are kept (draft-files.ts), beside its text. */
export function draftFilesKey(sessionId: string | undefined): string {
  return sessionId === undefined ? 'parley.draftFiles.new' : `parley.draftFiles.${sessionId}`
}

/** The unsent prompt kept for a chat; '' when there is none or it can't be read. */
export function readDraft(storage: DraftStorage | undefined, sessionId: string | undefined): string {
  try {
    return storage?.getItem(draftKey(sessionId)) ?? ''
  } catch {
    return ''
  }
}

/**
 * Keeps a chat's unsent prompt (an empty one is removed), before the screen kept for the next start (which gives up its
 * room when storage is full). A refusal (storage full, disabled) is not an error the person must see: the text is still in the box, only not kept past a restart. Storage is written only when the text
 * changes: the composer keeps its draft as it mounts, and that write (most often a removal of nothing) cost the
 * window's first render ~4 ms (a trace at 50,000 chats).
 */
export function keepDraft(storage: DraftStorage | undefined, sessionId: string | undefined, text: string): boolean {
  try {
    if (!storage) return false
    const key = draftKey(sessionId)
    const kept = storage.getItem(key)
    if (text === '' ? kept === null : kept === text) return true
    if (text === '') storage.removeItem(key)
    else writeBeforeScreen(storage, key, text)
    return true
  } catch {
    return false
  }
}

/**
 * A chat deleted (in this window once its Undo time is over, from the command line, another window): its draft goes,
 * text and files (main sweeps the files nothing uses once they are two weeks old).
 */
export function forgetDeletedChatDraft(storage: DraftStorage | undefined, event: ParleyEvent): void {
  if (event.type !== 'session.deleted') return
  keepDraft(storage, event.sessionId, '')
  try {
    storage?.removeItem(draftFilesKey(event.sessionId))
  } catch {
    // Storage refused: what is left there is read for no chat.
  }
}

import { storageFailureOf, type StorageFailure } from '../db/storage-errors'
import { errorText } from './error-text'
import type { Notice } from './notices'

export const storageNoticeId = 'storage'

/**
 * Why nothing is lost: the applier acknowledges nothing it could not write, so main keeps every event (in its
 * journal, across restarts) and the applier tries again every second (rule F3).
 */
const nothingLost =
  'Nothing is lost: Parley keeps every change until it is saved, and tries again every second.'

const lead = "Parley can't save to this computer's storage"

function what(failure: StorageFailure, error: unknown): string {
  // The error's own words sit inside a sentence of ours, so its closing full stop goes.
  const said = errorText(error).replace(/[.!?]+$/, '')
  switch (failure) {
    case 'full':
      return `${lead}: the disk is full. ${nothingLost} Free some disk space and it carries on by itself.`
    case 'closed':
      return `${lead}: the history database was closed (another Parley window may have upgraded it). ${nothingLost} Reload this window if the message stays.`
    case 'unavailable':
      return `${lead}: the browser won't open it (${said}). ${nothingLost} A private window, or a damaged browser profile, can cause this.`
    case 'other':
      return `${lead}: ${said}. ${nothingLost}`
  }
}

/** The banner for a failed write to IndexedDB, saying plainly what is wrong for each kind of failure. */
export function storageNotice(error: unknown): Notice {
  const failure = storageFailureOf(error)
  return { id: storageNoticeId, tone: 'error', text: what(failure, error), dismissible: false }
}

/** A chat's messages could not be read from the window's storage (a page, a window, a message opened at). */
export function chatReadNotice(error: unknown): Notice {
  return { id: 'storage-read', tone: 'error', text: `Parley could not read this chat: ${errorText(error)}`, dismissible: true }
}

import type { DataRecovery } from '../../../shared'
import type { Notice } from './notices'

/** Long enough for a parse error's gist; a schema's full report can run to many lines. */
const reasonLength = 200

/** What each file of the data folder is to the person reading the banner. */
const fileNames: Record<string, string> = {
  'settings.json': 'settings file',
  'sessions.json': 'list of chats',
  'secrets.json': 'API keys file',
  'journal.jsonl': 'journal (prompts waiting and answers not yet shown)',
  'session-log': 'message store (main’s copy of every chat)'
}

/** What a file lost whole means, for the files where it is not just "nothing could be used". */
const lostWhole: Record<string, string> = {
  'settings.json': 'The default settings are in use.',
  'session-log':
    'Parley started a new one and fills it again from this window’s copy of your chats, so answers in older chats still see their earlier messages.'
}

function shortReason(reason: string): string {
  const oneLine = reason.replace(/\s+/g, ' ').trim()
  return oneLine.length > reasonLength ? `${oneLine.slice(0, reasonLength - 1)}…` : oneLine
}

/** One sentence per damaged file: what it was, why, what was kept and lost, and where the damaged copy is. */
export function recoverySentence(found: DataRecovery): string {
  const what = fileNames[found.file] ?? found.file
  const reason = shortReason(found.reason)
  const outcome =
    found.kept > 0
      ? `Parley kept ${found.kept} ${found.kept === 1 ? 'entry' : 'entries'} and left out ${found.lost} it could not read.`
      : (lostWhole[found.file] ?? 'Nothing in it could be used.')
  const copy = found.backupPath ? `The damaged ${found.file === 'session-log' ? 'store' : 'file'} was kept at ${found.backupPath}.` : 'No copy of the damaged file could be kept.'
  return `Parley found its ${what} damaged${reason ? ` (${reason})` : ''}. ${outcome} ${copy}`
}

/** The banner for the data folder's files main found damaged at start; none when every file read fine. */
export function dataRecoveredNotice(recovered: readonly DataRecovery[] | undefined): Notice | undefined {
  if (!recovered || recovered.length === 0) return undefined
  return {
    id: 'data-recovered',
    tone: 'warning',
    text: recovered.map(recoverySentence).join(' '),
    dismissible: true
  }
}

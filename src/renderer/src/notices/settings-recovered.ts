import type { SettingsView } from '../../../shared'
import type { Notice } from './notices'

export const settingsRecoveredNoticeId = 'settings-recovered'

/** Long enough for a parse error's gist; a schema's full report can run to many lines. */
const reasonLength = 200

/** The banner for a settings file main could not read at start; none when it read it fine. */
export function settingsRecoveredNotice(recovered: SettingsView['settingsRecovered']): Notice | undefined {
  if (!recovered) return undefined
  const oneLine = recovered.reason.replace(/\s+/g, ' ').trim()
  const reason = oneLine.length > reasonLength ? `${oneLine.slice(0, reasonLength - 1)}…` : oneLine
  const kept = recovered.backupPath
    ? `The old file was kept at ${recovered.backupPath}.`
    : 'The old file was left where it was.'
  return {
    id: settingsRecoveredNoticeId,
    tone: 'warning',
    text: `Parley could not read its settings file${reason ? ` (${reason})` : ''}, so the default settings are in use. ${kept}`,
    dismissible: true
  }
}

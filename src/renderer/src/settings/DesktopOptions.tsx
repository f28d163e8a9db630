import type { JSX } from 'react'
import type { SettingsDraft } from './settings-form'

type DesktopDraft = Pick<SettingsDraft, 'closeToTray' | 'notify' | 'notifyOnlyInBackground'>

/** The desktop app's tray and notifications; browser mode keeps them but has neither. */
export function DesktopOptions(props: { draft: DesktopDraft; onChange: (change: Partial<DesktopDraft>) => void }): JSX.Element {
  const { draft } = props
  return (
    <fieldset className="settings-group">
      <legend>Desktop</legend>
      <label className="check">
        <input
          type="checkbox"
          data-testid="settings-close-to-tray"
          checked={draft.closeToTray}
          onChange={(event) => props.onChange({ closeToTray: event.target.checked })}
        />
        Close to the tray (runs go on)
      </label>
      <label className="check">
        <input type="checkbox" data-testid="settings-notify" checked={draft.notify} onChange={(event) => props.onChange({ notify: event.target.checked })} />
        Notify me when an answer is ready
      </label>
      <label className={`check nested${draft.notify ? '' : ' disabled'}`}>
        <input
          type="checkbox"
          data-testid="settings-notify-background"
          checked={draft.notifyOnlyInBackground}
          disabled={!draft.notify}
          onChange={(event) => props.onChange({ notifyOnlyInBackground: event.target.checked })}
        />
        Only when Parley is in the background
      </label>
      <p className="field-hint">These apply to the desktop app; browser mode has no tray and shows no notifications.</p>
    </fieldset>
  )
}

import { useEffect, useId, useState, type FormEvent, type JSX } from 'react'
import type { SettingsView } from '../../../shared'
import { errorText } from '../notices/error-text'
import { useParley } from '../parley-context'
import { DesktopOptions } from './DesktopOptions'
import { ModelChooser } from './ModelChooser'
import { ProviderList } from './ProviderList'
import { SettingsDialog } from './SettingsDialog'
import { StorageNote } from './StorageNote'
import { anyKeySet, draftFromSettings, isDirty, saveDraft, type SettingsDraft } from './settings-form'

type Feedback = { tone: 'ok' | 'error'; text: string } | undefined

/**
 * The providers, the models, the system prompt, and the desktop's tray and notifications. Typed keys go straight to
 * main in `updateSettings` and are never kept here beyond the draft: not in IndexedDB, not in localStorage. Closing
 * with unsaved edits asks first.
 */
export function SettingsPanel(props: { onClose: () => void }): JSX.Element {
  const { api } = useParley()
  const [view, setView] = useState<SettingsView>()
  const [draft, setDraft] = useState<SettingsDraft>()
  const [selectedId, setSelectedId] = useState<string>()
  const [models, setModels] = useState<Record<string, string[]>>({})
  const [saving, setSaving] = useState(false)
  const [feedback, setFeedback] = useState<Feedback>()
  const ids = useId()

  useEffect(() => {
    let live = true
    api.getSettings().then(
      (settings) => {
        if (!live) return
        setView(settings)
        setDraft(draftFromSettings(settings))
        setSelectedId(settings.models.large.providerId)
      },
      (error: unknown) => live && setFeedback({ tone: 'error', text: errorText(error, 'Parley could not read its settings.') })
    )
    return () => {
      live = false
    }
  }, [api])

  const dirty = view !== undefined && draft !== undefined && isDirty(view, draft)

  const edit = (next: SettingsDraft): void => {
    setDraft(next)
    setFeedback(undefined)
  }

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    if (!view || !draft) return
    setSaving(true)
    const result = await saveDraft(api, view, draft)
    setSaving(false)
    if ('error' in result) return setFeedback({ tone: 'error', text: result.error })
    setView(result.view)
    // The typed keys leave the draft as soon as main has them.
    setDraft(draftFromSettings(result.view))
    setFeedback({ tone: 'ok', text: 'Saved.' })
  }

  return (
    <SettingsDialog dirty={dirty} onClose={props.onClose}>
      {(requestClose) =>
        !view || !draft ? (
          feedback ? (
            <p className="form-feedback error" role="alert">
              {feedback.text}
            </p>
          ) : (
            <p className="settings-loading">Loading…</p>
          )
        ) : (
          <form className="settings-form" onSubmit={(event) => void save(event)} noValidate>
            <ProviderList
              view={view}
              draft={draft}
              selectedId={selectedId}
              onSelect={setSelectedId}
              onDraft={edit}
              onTested={(providerId, result) => result.ok && setModels((all) => ({ ...all, [providerId]: result.models }))}
              onRefused={(text) => setFeedback({ tone: 'error', text })}
            />
            {view.secretsWarning && anyKeySet(view) ? (
              <p className="field-warning" data-testid="settings-secrets-warning" role="note">
                <strong>Your API keys are not well protected.</strong> {view.secretsWarning}
              </p>
            ) : null}
            <ModelChooser
              draft={draft}
              savedIds={view.providers.map((provider) => provider.id)}
              models={models}
              onModels={(providerId, found) => setModels((all) => ({ ...all, [providerId]: found }))}
              onDraft={edit}
            />

            <label htmlFor={`${ids}-system`}>System prompt</label>
            <textarea
              id={`${ids}-system`}
              data-testid="settings-system-prompt"
              rows={4}
              value={draft.systemPrompt}
              onChange={(event) => edit({ ...draft, systemPrompt: event.target.value })}
            />
            <DesktopOptions draft={draft} onChange={(change) => edit({ ...draft, ...change })} />
            <StorageNote />

            {/* Kept in view at the dialog's bottom, with what Save answered: Enter in a field near the top saves too. */}
            <footer className="modal-foot settings-foot" data-testid="settings-foot">
              {feedback ? (
                <p className={`form-feedback ${feedback.tone}`} data-testid="settings-feedback" role={feedback.tone === 'error' ? 'alert' : 'status'}>
                  {feedback.text}
                </p>
              ) : null}
              {dirty ? <span className="unsaved">Unsaved changes</span> : null}
              <button type="button" className="button" onClick={requestClose}>
                Close
              </button>
              <button type="submit" className="button primary" data-testid="settings-save" disabled={saving}>
                {saving ? 'Saving…' : 'Save'}
              </button>
            </footer>
          </form>
        )
      }
    </SettingsDialog>
  )
}

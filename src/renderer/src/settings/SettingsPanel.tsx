import { useEffect, useId, useState, type FormEvent, type JSX } from 'react'
import type { SettingsView } from '../../../shared'
import { persistenceText } from '../db/storage-persistence'
import { errorText } from '../notices/error-text'
import { useParley, usePersistence } from '../parley-context'
import { formFromSettings, keyIsSet, patchFromForm, type SettingsForm } from './settings-form'

type Feedback = { tone: 'ok' | 'error'; text: string } | undefined

/**
 * The provider, model, API key, system prompt, and the desktop's tray and notifications. The key goes straight to
 * main in `updateSettings` and is never kept here beyond the input's own state: not in IndexedDB, not in localStorage.
 */
export function SettingsPanel(props: { onClose: () => void }): JSX.Element {
  const { api } = useParley()
  const persistence = usePersistence()
  const [view, setView] = useState<SettingsView>()
  const [form, setForm] = useState<SettingsForm>()
  const [models, setModels] = useState<string[]>([])
  const [saving, setSaving] = useState(false)
  const [feedback, setFeedback] = useState<Feedback>()
  const [probe, setProbe] = useState<Feedback>()
  const ids = useId()

  useEffect(() => {
    let live = true
    api.getSettings().then(
      (settings) => {
        if (!live) return
        setView(settings)
        setForm(formFromSettings(settings))
      },
      (error: unknown) => live && setFeedback({ tone: 'error', text: errorText(error, 'Parley could not read its settings.') })
    )
    return () => {
      live = false
    }
  }, [api])

  const edit = (change: Partial<SettingsForm>): void => {
    setForm((current) => (current ? { ...current, ...change } : current))
    setFeedback(undefined)
  }

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    if (!view || !form) return
    const result = patchFromForm(view, form)
    if ('error' in result) {
      setFeedback({ tone: 'error', text: result.error })
      return
    }
    setSaving(true)
    try {
      const saved = await api.updateSettings(result.patch)
      setView(saved)
      // The typed key leaves the form as soon as main has it.
      setForm(formFromSettings(saved))
      setFeedback({ tone: 'ok', text: 'Saved.' })
    } catch (error) {
      setFeedback({ tone: 'error', text: errorText(error, 'Parley could not save the settings.') })
    } finally {
      setSaving(false)
    }
  }

  const loadModels = async (): Promise<void> => {
    if (!form) return
    setProbe({ tone: 'ok', text: 'Loading models…' })
    try {
      const found = await api.listModels(form.providerId)
      setModels(found)
      setProbe({ tone: 'ok', text: found.length ? `${found.length} models found.` : 'The provider lists no models.' })
    } catch (error) {
      setProbe({ tone: 'error', text: errorText(error, 'Parley could not load the models.') })
    }
  }

  const testProvider = async (): Promise<void> => {
    if (!form) return
    setProbe({ tone: 'ok', text: 'Testing…' })
    try {
      const result = await api.testProvider(form.providerId)
      if (result.models.length) setModels(result.models)
      setProbe({ tone: result.ok ? 'ok' : 'error', text: result.message })
    } catch (error) {
      setProbe({ tone: 'error', text: errorText(error, 'Parley could not test the provider.') })
    }
  }

  const hasKey = view && form ? keyIsSet(view, form.providerId) : false
  const providerName = view?.providers.find((provider) => provider.id === form?.providerId)?.name

  return (
    <div className="modal-backdrop" onMouseDown={(event) => event.target === event.currentTarget && props.onClose()}>
      <section className="modal settings" role="dialog" aria-modal="true" aria-labelledby={`${ids}-title`}>
        <header className="modal-head">
          <h2 id={`${ids}-title`}>Settings</h2>
          <button type="button" className="icon-button" data-testid="settings-close" aria-label="Close settings" onClick={props.onClose}>
            <svg viewBox="0 0 12 12" width="12" height="12" aria-hidden="true">
              <path d="M2 2l8 8M10 2l-8 8" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
            </svg>
          </button>
        </header>
        {!form ? (
          feedback ? (
            <p className="form-feedback error" role="alert">
              {feedback.text}
            </p>
          ) : (
            <p className="settings-loading">Loading…</p>
          )
        ) : (
          <form className="settings-form" onSubmit={(event) => void save(event)} noValidate>
            <p className="settings-provider">
              Provider: <strong>{providerName ?? form.providerId}</strong>
            </p>
            <label htmlFor={`${ids}-url`}>Base URL</label>
            <input
              id={`${ids}-url`}
              data-testid="settings-base-url"
              type="text"
              inputMode="url"
              spellCheck={false}
              autoComplete="off"
              value={form.baseUrl}
              placeholder="http://127.0.0.1:11434/v1"
              onChange={(event) => edit({ baseUrl: event.target.value })}
            />

            <label htmlFor={`${ids}-model`}>Model</label>
            <div className="field-row">
              <input
                id={`${ids}-model`}
                data-testid="settings-model"
                type="text"
                spellCheck={false}
                autoComplete="off"
                list={`${ids}-models`}
                value={form.model}
                onChange={(event) => edit({ model: event.target.value })}
              />
              <datalist id={`${ids}-models`}>
                {models.map((model) => (
                  <option key={model} value={model} />
                ))}
              </datalist>
              <button type="button" className="button small" data-testid="settings-load-models" onClick={() => void loadModels()}>
                Load models
              </button>
              <button type="button" className="button small" data-testid="settings-test" onClick={() => void testProvider()}>
                Test
              </button>
            </div>
            <p className="field-hint">Load models and Test use the saved settings: save a new URL or key first.</p>
            {probe ? (
              <p className={`form-feedback ${probe.tone}`} data-testid="settings-probe" role="status">
                {probe.text}
              </p>
            ) : null}

            <label htmlFor={`${ids}-key`}>API key</label>
            <div className="field-row">
              <input
                id={`${ids}-key`}
                data-testid="settings-api-key"
                type="password"
                autoComplete="off"
                spellCheck={false}
                value={form.apiKey}
                placeholder={hasKey ? 'Type a new key to replace it' : 'No key (local servers need none)'}
                onChange={(event) => edit({ apiKey: event.target.value, clearKey: false })}
              />
              {hasKey ? (
                <button
                  type="button"
                  className="button small"
                  data-testid="settings-clear-key"
                  aria-pressed={form.clearKey}
                  onClick={() => edit({ apiKey: '', clearKey: !form.clearKey })}
                >
                  {form.clearKey ? 'Keep key' : 'Forget key'}
                </button>
              ) : null}
            </div>
            <p className="field-hint" data-testid="settings-key-state">
              {form.clearKey ? 'The key will be forgotten when you save.' : hasKey ? 'A key is set.' : 'No key is set.'}
            </p>
            {view?.secretsWarning ? (
              <p className="field-warning" data-testid="settings-secrets-warning" role="note">
                <strong>Your API keys are not well protected.</strong> {view.secretsWarning}
              </p>
            ) : null}

            <label htmlFor={`${ids}-system`}>System prompt</label>
            <textarea
              id={`${ids}-system`}
              data-testid="settings-system-prompt"
              rows={4}
              value={form.systemPrompt}
              onChange={(event) => edit({ systemPrompt: event.target.value })}
            />

            <fieldset className="settings-group">
              <legend>Desktop</legend>
              <label className="check">
                <input
                  type="checkbox"
                  data-testid="settings-close-to-tray"
                  checked={form.closeToTray}
                  onChange={(event) => edit({ closeToTray: event.target.checked })}
                />
                Close to the tray (runs go on)
              </label>
              <label className="check">
                <input
                  type="checkbox"
                  data-testid="settings-notify"
                  checked={form.notify}
                  onChange={(event) => edit({ notify: event.target.checked })}
                />
                Notify me when an answer is ready
              </label>
              <label className={`check nested${form.notify ? '' : ' disabled'}`}>
                <input
                  type="checkbox"
                  data-testid="settings-notify-background"
                  checked={form.notifyOnlyInBackground}
                  disabled={!form.notify}
                  onChange={(event) => edit({ notifyOnlyInBackground: event.target.checked })}
                />
                Only when Parley is in the background
              </label>
              <p className="field-hint">These apply to the desktop app; browser mode has no tray and shows no notifications.</p>
            </fieldset>

            <fieldset className="settings-group">
              <legend>Storage</legend>
              <p
                className={persistence === 'best-effort' ? 'field-warning' : 'field-hint'}
                data-testid="settings-storage-persisted"
                data-persistence={persistence}
              >
                {persistenceText(persistence)}
              </p>
              <p className="field-hint">Your chats are kept on this computer, in the window&apos;s own storage (IndexedDB).</p>
            </fieldset>

            {feedback ? (
              <p className={`form-feedback ${feedback.tone}`} data-testid="settings-feedback" role={feedback.tone === 'error' ? 'alert' : 'status'}>
                {feedback.text}
              </p>
            ) : null}
            <footer className="modal-foot">
              <button type="button" className="button" onClick={props.onClose}>
                Close
              </button>
              <button type="submit" className="button primary" data-testid="settings-save" disabled={saving}>
                {saving ? 'Saving…' : 'Save'}
              </button>
            </footer>
          </form>
        )}
      </section>
    </div>
  )
}

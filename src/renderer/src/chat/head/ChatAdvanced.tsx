import { useId, useState, type JSX } from 'react'
import type { SessionOptions, SessionOptionsPatch } from '../../../../shared'
import { formOf, patchOf, type OptionsForm } from './chat-options'

export interface ChatAdvancedProps {
  options: SessionOptions | undefined
  /** The settings' own values, shown as what an empty field means. */
  defaults: { systemPrompt: string; maxTokens: number } | undefined
  /** Resolves with a sentence when main refused the change. */
  onSave: (patch: SessionOptionsPatch) => Promise<string | undefined>
  onClose: () => void
}

/** The chat's system prompt, temperature and max tokens; an empty field means the settings' default. */
export function ChatAdvanced(props: ChatAdvancedProps): JSX.Element {
  const ids = useId()
  const [form, setForm] = useState<OptionsForm>(() => formOf(props.options))
  const [error, setError] = useState<string>()
  const [saving, setSaving] = useState(false)
  const set = (field: keyof OptionsForm) => (event: { target: { value: string } }) => setForm({ ...form, [field]: event.target.value })

  const save = (): void => {
    const checked = patchOf(form)
    if (!checked.ok) return setError(checked.error)
    setSaving(true)
    void props.onSave(checked.patch).then((refused) => {
      setSaving(false)
      if (refused) setError(refused)
      else props.onClose()
    })
  }

  const defaultPrompt = props.defaults?.systemPrompt ? `The default: ${props.defaults.systemPrompt}` : 'The default: none'
  return (
    <form
      className="chat-advanced"
      data-testid="chat-advanced"
      aria-label="This chat's advanced options"
      // Parley checks the fields itself, with the words main would refuse them with.
      noValidate
      onSubmit={(event) => {
        event.preventDefault()
        save()
      }}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return
        // Esc closes the panel only; it must not reach the window, where it would stop the answer.
        event.preventDefault()
        event.stopPropagation()
        props.onClose()
      }}
    >
      <label htmlFor={`${ids}-system`}>System prompt for this chat</label>
      <textarea id={`${ids}-system`} data-testid="chat-system-prompt" rows={3} value={form.systemPrompt} placeholder={defaultPrompt} onChange={set('systemPrompt')} />
      <div className="chat-advanced-numbers">
        <label htmlFor={`${ids}-temperature`}>Temperature (0–2)</label>
        <input id={`${ids}-temperature`} data-testid="chat-temperature" type="number" inputMode="decimal" step="0.1" min="0" max="2" value={form.temperature} placeholder="Default" onChange={set('temperature')} />
        <label htmlFor={`${ids}-max-tokens`}>Max tokens</label>
        <input
          id={`${ids}-max-tokens`}
          data-testid="chat-max-tokens"
          type="number"
          inputMode="numeric"
          step="1"
          min="1"
          value={form.maxTokens}
          placeholder={props.defaults ? `Default: ${props.defaults.maxTokens}` : 'Default'}
          onChange={set('maxTokens')}
        />
      </div>
      {error ? (
        <p className="form-feedback error" data-testid="chat-advanced-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="chat-advanced-buttons">
        <button type="button" className="button small" onClick={props.onClose}>
          Cancel
        </button>
        <button type="submit" className="button small primary" data-testid="chat-advanced-save" disabled={saving}>
          Save
        </button>
      </div>
    </form>
  )
}

import { useState, type JSX } from 'react'
import type { SettingsView } from '../../../shared'
import { errorText } from '../notices/error-text'
import { useParley } from '../parley-context'
import { PresetPicker } from '../settings/PresetPicker'
import { ProviderEditor, type Probe } from '../settings/ProviderEditor'
import type { ProviderPreset } from '../settings/provider-presets'
import { editProvider, keyIsSet, nameToSave, providerTarget, type SettingsDraft } from '../settings/settings-form'
import { answerWith, draftWithPreset } from './local-servers'

/**
 * "I have another server": pick a preset, adjust its URL and key in the same provider form Settings uses, and
 * Connect, which tests what was typed and, when it lists a model, saves the provider and its first model as the one
 * that answers.
 */
export function OtherServer(props: { view: SettingsView; onConnected: (view: SettingsView) => void }): JSX.Element {
  const { api } = useParley()
  const [draft, setDraft] = useState<SettingsDraft>()
  const [providerId, setProviderId] = useState<string>()
  const [status, setStatus] = useState<Probe>()
  const savedIds = props.view.providers.map((provider) => provider.id)
  const provider = draft?.providers.find((candidate) => candidate.id === providerId)

  // A server already configured from this preset is edited rather than added twice.
  const choose = (preset: ProviderPreset): void => {
    const added = draftWithPreset(props.view, preset)
    setDraft(added.draft)
    setProviderId(added.providerId)
    setStatus(undefined)
  }

  const connect = async (): Promise<void> => {
    if (!draft || !provider) return
    const checked = providerTarget(provider, savedIds)
    if ('error' in checked) return setStatus({ tone: 'error', text: checked.error })
    setStatus({ tone: 'ok', text: 'Connecting…' })
    try {
      const result = await api.testProvider(checked.target)
      if (!result.ok) return setStatus({ tone: 'error', text: result.message })
      const saved = await answerWith(api, props.view, { draft, providerId: provider.id, name: nameToSave(provider) }, result.models)
      if ('error' in saved) return setStatus({ tone: 'error', text: saved.error })
      props.onConnected(saved.view)
    } catch (error) {
      setStatus({ tone: 'error', text: errorText(error, 'Parley could not connect to the server.') })
    }
  }

  return (
    <div className="welcome-other" data-testid="welcome-other">
      <PresetPicker testIdPrefix="welcome" label="Which server do you have?" action="Choose" onPick={choose} />
      {draft && provider ? (
        <ProviderEditor
          key={provider.id}
          provider={provider}
          hasKey={keyIsSet(props.view, provider.id)}
          savedIds={savedIds}
          testIdPrefix="welcome"
          onChange={(change) => {
            setStatus(undefined)
            setDraft(editProvider(draft, provider.id, change))
          }}
        >
          <button type="button" className="button small primary" data-testid="welcome-connect" onClick={() => void connect()}>
            Connect
          </button>
        </ProviderEditor>
      ) : null}
      {status ? (
        <p className={`form-feedback ${status.tone}`} data-testid="welcome-connect-status" role="status">
          {status.text}
        </p>
      ) : null}
    </div>
  )
}

import { useId, useState, type JSX } from 'react'
import { errorText } from '../notices/error-text'
import { useParley } from '../parley-context'
import type { Probe } from './ProviderEditor'
import { providerSubject, providerTarget, type ModelChoice, type SettingsDraft } from './settings-form'

/** The settings a model is chosen from: the draft, the providers saved, and the models each listed. */
export interface ModelLists {
  draft: SettingsDraft
  savedIds: readonly string[]
  /** The models each provider listed, by provider id. */
  models: Readonly<Record<string, readonly string[]>>
  onModels: (providerId: string, models: string[]) => void
}

interface ModelFieldProps extends ModelLists {
  what: 'answering' | 'titles'
  testIdPrefix: string
  loadTestId: string
  /** Undefined for titles written by the answering model. */
  choice: ModelChoice | undefined
  onChoice: (choice: ModelChoice | undefined) => void
}

/** One model choice (answering, or titles): its provider, its model picked from the list or typed, Load models. */
export function ModelField(props: ModelFieldProps): JSX.Element {
  const { draft, choice, testIdPrefix: p } = props
  const { api } = useParley()
  const ids = useId()
  const [status, setStatus] = useState<Probe>()
  const listed = choice ? (props.models[choice.providerId] ?? []) : []
  const same = 'same'

  const load = async (providerId: string | undefined): Promise<void> => {
    const provider = draft.providers.find((candidate) => candidate.id === providerId)
    if (!provider) return
    const checked = providerTarget(provider, props.savedIds)
    if ('error' in checked) return setStatus({ tone: 'error', text: checked.error })
    setStatus({ tone: 'ok', text: 'Loading models…' })
    try {
      const found = await api.listModels(checked.target)
      props.onModels(provider.id, found)
      setStatus({ tone: 'ok', text: found.length ? `${providerSubject(provider)} offers ${found.length} model(s).` : `${providerSubject(provider)} lists no models.` })
    } catch (error) {
      setStatus({ tone: 'error', text: errorText(error, 'Parley could not load the models.') })
    }
  }

  const pickProvider = (providerId: string): void => {
    setStatus(undefined)
    if (providerId === same) return props.onChoice(undefined)
    if (choice?.providerId === providerId) return
    // Another provider's model name means nothing here: its first listed model, or a choice to make from its list.
    const known = props.models[providerId]
    props.onChoice({ providerId, model: known?.[0] ?? '' })
    if (!known) void load(providerId)
  }

  return (
    <div className="model-field">
      <label htmlFor={`${ids}-provider`}>{props.what === 'answering' ? 'The model that answers' : 'The model that writes chat titles'}</label>
      <select id={`${ids}-provider`} data-testid={`${p}-provider`} value={choice?.providerId ?? same} onChange={(event) => pickProvider(event.target.value)}>
        {props.what === 'titles' ? <option value={same}>The answering model</option> : null}
        {draft.providers.map((provider) => (
          <option key={provider.id} value={provider.id}>
            {providerSubject(provider)}
          </option>
        ))}
      </select>
      {choice ? (
        <div className="field-row">
          <input
            aria-label={props.what === 'answering' ? 'Model' : 'Titles model'}
            data-testid={p}
            type="text"
            spellCheck={false}
            autoComplete="off"
            list={`${ids}-models`}
            value={choice.model}
            placeholder="Choose from the list or type a model"
            onChange={(event) => props.onChoice({ ...choice, model: event.target.value })}
          />
          <datalist id={`${ids}-models`}>
            {listed.map((model) => (
              <option key={model} value={model} />
            ))}
          </datalist>
          <button type="button" className="button small" data-testid={props.loadTestId} onClick={() => void load(choice.providerId)}>
            Load models
          </button>
        </div>
      ) : null}
      {status ? (
        <p className={`form-feedback ${status.tone}`} data-testid={`${p}-status`} role="status">
          {status.text}
        </p>
      ) : null}
    </div>
  )
}

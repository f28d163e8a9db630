import { useEffect, useId, useState, type JSX } from 'react'
import { errorText } from '../notices/error-text'
import { useParley } from '../parley-context'
import type { Probe } from './ProviderEditor'
import { providerSubject, providerTarget, withAnswering, type ModelChoice, type SettingsDraft } from './settings-form'

export interface ModelChooserProps {
  draft: SettingsDraft
  savedIds: readonly string[]
  /** The models each provider listed, by provider id. */
  models: Readonly<Record<string, readonly string[]>>
  onModels: (providerId: string, models: string[]) => void
  onDraft: (draft: SettingsDraft) => void
}

/** Which provider and model answer, and which write titles: from any configured provider, picked from its list or typed. */
export function ModelChooser(props: ModelChooserProps): JSX.Element {
  const { draft } = props
  const served = useServedContext(draft.large, props.savedIds)
  return (
    <fieldset className="settings-group">
      <legend>Model</legend>
      <ModelField {...props} what="answering" testIdPrefix="settings-model" loadTestId="settings-load-models" choice={draft.large} onChoice={(large) => large && props.onDraft(withAnswering(draft, large))} />
      <RoomFields room={draft.room} served={served} onRoom={(room) => props.onDraft({ ...draft, room })} />
      <ModelField {...props} what="titles" testIdPrefix="settings-small" loadTestId="settings-small-load-models" choice={draft.small} onChoice={(small) => props.onDraft({ ...draft, small })} />
    </fieldset>
  )
}

/** A number of tokens, typed as text (so "8,192" can be typed and named if wrong), with its label. */
function TokensInput(props: { label: string; testId: string; value: string; onValue: (value: string) => void }): JSX.Element {
  const id = useId()
  return (
    <>
      <label htmlFor={id}>{props.label}</label>
      <input id={id} data-testid={props.testId} type="text" inputMode="numeric" value={props.value} onChange={(event) => props.onValue(event.target.value)} />
    </>
  )
}

/** What the answering model's server says it runs it with (B2), once it said it. */
interface ServedRoom {
  model: string
  size: number
}

/**
 * B2: asks the saved provider's server the context it runs the answering model with (llama.cpp, Ollama, vLLM, LM
 * Studio say it), a moment after the choice settles; undefined while unknown or when the server says nothing.
 */
function useServedContext(choice: ModelChoice, savedIds: readonly string[]): ServedRoom | undefined {
  const { api } = useParley()
  const [served, setServed] = useState<ServedRoom & { providerId: string }>()
  const saved = savedIds.includes(choice.providerId)
  const { providerId, model } = choice
  useEffect(() => {
    if (!saved || !model.trim()) return
    let current = true
    const timer = setTimeout(() => {
      api.servedContext(providerId, model).then(
        (size) => current && setServed(size === null ? undefined : { providerId, model, size }),
        () => current && setServed(undefined)
      )
    }, 300)
    return () => {
      current = false
      clearTimeout(timer)
    }
  }, [api, saved, providerId, model])
  return served && saved && served.providerId === providerId && served.model === model ? served : undefined
}

/** How much the answering model holds: the oldest messages are left out beyond its context window (rule B2). */
function RoomFields(props: { room: SettingsDraft['room']; served: ServedRoom | undefined; onRoom: (room: SettingsDraft['room']) => void }): JSX.Element {
  const { room, served, onRoom } = props
  const typed = Number(room.context.replace(/[,\s_]/g, ''))
  return (
    <div className="model-field">
      <div className="field-row">
        <TokensInput label="Context window (tokens)" testId="settings-context-window" value={room.context} onValue={(context) => onRoom({ ...room, context })} />
        <TokensInput label="Longest answer (tokens)" testId="settings-max-answer" value={room.answer} onValue={(answer) => onRoom({ ...room, answer })} />
      </div>
      <p className="field-hint">
        What the answering model can hold: older messages are left out beyond it. Hosted models hold 128,000 tokens or
        more; a local server holds what it was started with (llama.cpp&apos;s -c, Ollama&apos;s num_ctx). A server that says
        a request is too long gets it again with less of the chat.
      </p>
      {served && (
        <p className="field-hint" data-testid="settings-served-context">
          The server runs {served.model} with {served.size.toLocaleString('en')} tokens of context
          {Number.isFinite(typed) && typed > served.size ? ': Parley sends no more than that.' : '.'}
        </p>
      )}
    </div>
  )
}

interface ModelFieldProps extends ModelChooserProps {
  what: 'answering' | 'titles'
  testIdPrefix: string
  loadTestId: string
  /** Undefined for titles written by the answering model. */
  choice: ModelChoice | undefined
  onChoice: (choice: ModelChoice | undefined) => void
}

function ModelField(props: ModelFieldProps): JSX.Element {
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

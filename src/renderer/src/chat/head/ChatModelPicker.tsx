import type { JSX } from 'react'
import type { ChatModel, SessionOptions } from '../../../../shared'
import { providerSubject } from '../../settings/settings-form'
import { modelOfValue, modelValue, pickerModels, shownModel } from './chat-options'
import type { ModelLists } from './use-model-lists'

export interface ChatModelPickerProps {
  options: SessionOptions | undefined
  lists: ModelLists
  /** null: back to the settings' default. */
  onPick: (model: ChatModel | null) => void
  disabled: boolean
}

/**
 * The chat's model, from any model of any configured provider, or the settings' default. A chat whose provider was
 * removed says that the default answers in its place.
 */
export function ChatModelPicker(props: ChatModelPickerProps): JSX.Element | null {
  const { settings, models, refresh } = props.lists
  if (!settings) return null
  const shown = shownModel(props.options, settings)
  const chosen = shown.kind === 'chosen' ? shown.model : undefined
  const large = settings.models.large
  return (
    <div className="chat-model">
      <select
        className="chat-model-select"
        data-testid="chat-model"
        aria-label="The model that answers in this chat"
        value={modelValue(chosen)}
        disabled={props.disabled}
        onFocus={refresh}
        onChange={(event) => props.onPick(modelOfValue(event.target.value))}
      >
        <option value="">Default: {large.model}</option>
        {settings.providers.map((provider) => {
          const ids = pickerModels(models[provider.id] ?? [], chosen?.providerId === provider.id ? chosen.model : undefined)
          return (
            <optgroup key={provider.id} label={providerSubject(provider)}>
              {ids.map((model) => (
                <option key={model} value={modelValue({ providerId: provider.id, model })}>
                  {model}
                </option>
              ))}
            </optgroup>
          )
        })}
      </select>
      {shown.kind === 'fallback' ? (
        <span className="chat-model-fallback" data-testid="chat-model-fallback" role="status">
          {shown.removed.model}&apos;s provider was removed: the default answers
        </span>
      ) : null}
    </div>
  )
}

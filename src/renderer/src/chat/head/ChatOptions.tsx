import { useRef, useState, type JSX } from 'react'
import type { ChatModel, SessionOptions, SessionOptionsPatch } from '../../../../shared'
import { actionFailedNotice } from '../../notices/action-failed'
import { errorText } from '../../notices/error-text'
import { useParley } from '../../parley-context'
import { ChatAdvanced } from './ChatAdvanced'
import { ChatModelPicker } from './ChatModelPicker'
import { useModelLists } from './use-model-lists'

/**
 * The chat's own model and, under "Advanced", its system prompt, temperature and max tokens. Each change goes to main
 * (`updateSession`), which publishes it; the header shows it once it is back through Dexie. The next prompt to start
 * uses it.
 */
export function ChatOptions(props: { sessionId: string; options: SessionOptions | undefined }): JSX.Element {
  const { api, notices } = useParley()
  const lists = useModelLists()
  const [advanced, setAdvanced] = useState(false)
  const toggle = useRef<HTMLButtonElement>(null)
  // The panel goes with the focus in it (Esc, Save): the focus goes back to its button, not to the page.
  const closeAdvanced = (): void => {
    setAdvanced(false)
    toggle.current?.focus()
  }
  const [picking, setPicking] = useState(false)

  const update = (patch: SessionOptionsPatch): Promise<string | undefined> =>
    api.updateSession(props.sessionId, patch).then(
      () => undefined,
      (error: unknown) => errorText(error, 'Parley could not change this chat.')
    )

  const pick = (model: ChatModel | null): void => {
    setPicking(true)
    api
      .updateSession(props.sessionId, { model })
      .catch((error: unknown) => notices.show(actionFailedNotice('Parley could not change the model', error)))
      .finally(() => setPicking(false))
  }

  const large = lists.settings?.models.large
  const own = props.options
  const custom = own !== undefined && (own.systemPrompt !== undefined || own.temperature !== undefined || own.maxTokens !== undefined)
  return (
    <div className="chat-options">
      <ChatModelPicker options={props.options} lists={lists} onPick={pick} disabled={picking} />
      <button
        type="button"
        ref={toggle}
        className="button small chat-advanced-toggle"
        data-testid="chat-advanced-toggle"
        aria-expanded={advanced}
        data-custom={custom}
        title={custom ? 'This chat has its own system prompt, temperature or max tokens' : 'System prompt, temperature and max tokens for this chat'}
        onClick={() => setAdvanced(!advanced)}
      >
        {custom ? 'Advanced •' : 'Advanced'}
      </button>
      {advanced ? (
        <ChatAdvanced
          key={props.sessionId}
          options={props.options}
          defaults={lists.settings && large ? { systemPrompt: lists.settings.systemPrompt, maxTokens: large.maxOutputTokens } : undefined}
          onSave={update}
          onClose={closeAdvanced}
        />
      ) : null}
    </div>
  )
}

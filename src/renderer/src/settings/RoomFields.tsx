import { useId, type JSX } from 'react'
import type { SettingsDraft } from './settings-form'
import type { ServedRoom } from './use-served-context'

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

/** How much the answering model holds: the oldest messages are left out beyond its context window (rule B2). */
export function RoomFields(props: { room: SettingsDraft['room']; served: ServedRoom | undefined; onRoom: (room: SettingsDraft['room']) => void }): JSX.Element {
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

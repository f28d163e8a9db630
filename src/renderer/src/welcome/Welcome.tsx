import { useId, useState, type JSX } from 'react'
import { sendPrompt } from '../composer/send-prompt'
import { useParley } from '../parley-context'
import { helloPrompt } from './first-answer'
import { FoundServers, useFoundServers } from './FoundServers'
import { answerWith, draftWithPreset, type FoundServer } from './local-servers'
import { OtherServer } from './OtherServer'
import { WelcomeFinding } from './WelcomeFinding'
import { useHelloFocus } from './use-hello-focus'
import { useWelcomeCheck } from './use-welcome-check'

/**
 * The first thing a fresh Parley shows: it checks the provider that answers at once (not after the first prompt),
 * says in plain words what it found and what to do, and ends with a model picked and "Say hello" one click away.
 */
export interface WelcomeProps {
  /** The first chat was made (by Say hello): the window shows it. */
  onSession: (sessionId: string) => void
  /** Whether Settings is open: closing it checks again, with whatever was saved there. */
  settingsOpen: boolean
}

export function Welcome(props: WelcomeProps): JSX.Element {
  const { api, activity } = useParley()
  const ids = useId()
  const [other, setOther] = useState(false)
  const [sendError, setSendError] = useState<string>()
  const { view, setView, state, check } = useWelcomeCheck(props.settingsOpen)
  const { section, hello } = useHelloFocus(state.step)

  // The one that answers isn't answering: servers found running here are one click away.
  const found = useFoundServers(state)
  const answerWithFound = async (server: FoundServer): Promise<void> => {
    if (!view) return
    setSendError(undefined)
    const saved = await answerWith(api, view, { ...draftWithPreset(view, server.preset, server.baseUrl), name: server.preset.name }, server.models)
    if ('error' in saved) return setSendError(saved.error)
    setView(saved.view)
    void check(true)
  }

  const sayHello = async (): Promise<void> => {
    setSendError(undefined)
    const outcome = await sendPrompt({ api, activity }, { sessionId: undefined, prompt: helloPrompt, onSession: props.onSession })
    if (!outcome.ok) setSendError(outcome.error)
  }

  return (
    <section ref={section} className="welcome" aria-labelledby={`${ids}-title`} data-testid="welcome" data-step={state.step}>
      <h2 id={`${ids}-title`}>Welcome to Parley</h2>
      <p className="welcome-lead">Parley answers with a model server: one on this computer, like Ollama, or a hosted one with an API key.</p>
      <WelcomeFinding state={state} />
      <FoundServers place="welcome" servers={found} onUse={(server) => void answerWithFound(server)} />
      {sendError ? (
        <p className="form-feedback error" role="alert">
          {sendError}
        </p>
      ) : null}
      <div className="welcome-actions">
        {state.step === 'ready' ? (
          <button type="button" ref={hello} className="button primary" data-testid="welcome-say-hello" onClick={() => void sayHello()}>
            Say hello
          </button>
        ) : (
          <button type="button" className="button primary" data-testid="welcome-check-again" disabled={state.step === 'checking'} onClick={() => void check(true)}>
            {state.step === 'checking' ? 'Checking…' : 'Check again'}
          </button>
        )}
        <button type="button" className="button" data-testid="welcome-use-other" aria-expanded={other} onClick={() => setOther(!other)}>
          {state.step === 'ready' ? 'Use another server' : 'I have another server'}
        </button>
      </div>
      {other && view ? (
        <OtherServer
          view={view}
          onConnected={(saved) => {
            setView(saved)
            setOther(false)
            void check(true)
          }}
        />
      ) : null}
      <p className="field-hint">Or write a prompt below. Settings (bottom left) holds every provider and model.</p>
    </section>
  )
}

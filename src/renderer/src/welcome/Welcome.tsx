import { useCallback, useEffect, useId, useRef, useState, type JSX } from 'react'
import type { SettingsView } from '../../../shared'
import { sendPrompt } from '../composer/send-prompt'
import { errorText } from '../notices/error-text'
import { useParley } from '../parley-context'
import { FocusClaim } from './focus-claim'
import { answeringModelPatch, answeringProvider, helloPrompt, welcomeState, type WelcomeState } from './first-answer'
import { FoundServers, useFoundServers } from './FoundServers'
import { answerWith, draftWithPreset, type FoundServer } from './local-servers'
import { OtherServer } from './OtherServer'
import { WelcomeFinding } from './WelcomeFinding'

/** How often the welcome checks again while the server loads its model (rule C6). */
export const loadingRecheckMs = 3000

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
  const [view, setView] = useState<SettingsView>()
  const [state, setState] = useState<WelcomeState>({ step: 'checking', provider: undefined })
  const [other, setOther] = useState(false)
  const [sendError, setSendError] = useState<string>()
  const generation = useRef(0)
  const hello = useRef<HTMLButtonElement>(null)

  /** Until the person has been in Settings, a configured model the server doesn't offer gives way to its first. */
  const autoPick = useRef(true)

  /**
   * `mayPick`: a configured model the server doesn't offer gives way to its first. `quiet`: the finding stays as it is
   * until the answer (the check again while the model loads, which must not take "Say hello" away each time).
   */
  const check = useCallback(async (mayPick: boolean, quiet = false): Promise<void> => {
    const mine = ++generation.current
    const current = (): boolean => mine === generation.current
    if (!quiet) setState((before) => ({ step: 'checking', provider: before.provider }))
    try {
      let settings = await api.getSettings()
      if (!current()) return
      setView(settings)
      const provider = answeringProvider(settings)
      if (!quiet) setState({ step: 'checking', provider })
      const found = welcomeState(settings, provider ? await api.testProvider(provider.id) : { ok: false, message: '', models: [] }, mayPick)
      if (!current()) return
      if (found.step === 'ready' && found.picked) {
        // The configured model isn't offered: the server's first one answers from now on.
        settings = await api.updateSettings(answeringModelPatch(settings, found.provider.id, found.model))
      }
      if (!current()) return
      setView(settings)
      setState(found)
    } catch (error) {
      if (current()) setState({ step: 'failed', provider: undefined, ollama: false, message: errorText(error, 'Parley could not check its model server.') })
    }
  }, [api])

  // At once, and again each time Settings closes: then the model chosen there is kept, listed or not.
  useEffect(() => {
    if (props.settingsOpen) {
      autoPick.current = false
      return
    }
    void check(autoPick.current)
    return () => {
      generation.current++
    }
  }, [check, props.settingsOpen])

  // C6: while the server loads its model, check again now and then, so "is loading" turns into "is ready" by itself.
  const loading = state.step === 'ready' && state.loading !== undefined
  useEffect(() => {
    if (!loading || props.settingsOpen) return
    const again = setTimeout(() => void check(autoPick.current, true), loadingRecheckMs)
    return () => clearTimeout(again)
  }, [loading, state, check, props.settingsOpen])

  // Ready: "Say hello" takes the focus, unless the person has turned to something else meanwhile (focus-claim.ts).
  const section = useRef<HTMLElement>(null)
  const [claim] = useState(() => new FocusClaim(document, () => section.current))
  useEffect(() => {
    claim.start()
    return () => claim.stop()
  }, [claim])
  useEffect(() => {
    if (state.step === 'ready' && claim.mayTake()) hello.current?.focus()
  }, [state.step, claim])

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

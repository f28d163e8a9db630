import type { JSX } from 'react'
import type { WelcomeState } from './first-answer'

/** What the check found, in plain words, and what to do about it. */
export function WelcomeFinding(props: { state: WelcomeState }): JSX.Element {
  const { state } = props
  const name = state.provider?.name ?? 'the model server'
  const at = state.provider ? ` at ${state.provider.baseUrl}` : ''
  switch (state.step) {
    case 'checking':
      return (
        <p className="welcome-finding" role="status" data-testid="welcome-finding">
          Checking {name}
          {at}…
        </p>
      )
    case 'failed':
      return state.ollama ? (
        <div className="welcome-finding" role="status" data-testid="welcome-finding">
          <p>
            <strong>Ollama isn’t answering{at}.</strong> Ollama runs models on this computer, free and offline. To use it:
          </p>
          <ol data-testid="welcome-ollama-steps">
            <li>
              Install Ollama from{' '}
              <a href="https://ollama.com" target="_blank" rel="noreferrer">
                ollama.com
              </a>{' '}
              and start it.
            </li>
            <li>
              Get a model: run <code>ollama pull llama3.2</code> in a terminal.
            </li>
            <li>Press Check again.</li>
          </ol>
          <p className="field-hint">{state.message}</p>
        </div>
      ) : (
        <div className="welcome-finding" role="status" data-testid="welcome-finding">
          <p>
            <strong>{name} isn’t answering.</strong> {state.message}
          </p>
          <p>Start it and press Check again, or choose another server.</p>
        </div>
      )
    case 'no-models':
      return (
        <p className="welcome-finding" role="status" data-testid="welcome-finding">
          <strong>{name} is running but offers no models yet.</strong>{' '}
          {state.ollama ? (
            <>
              Pull one: run <code>ollama pull {state.suggestedModel ?? 'llama3.2'}</code>, then press Check again.
            </>
          ) : (
            'Load a model on the server, then press Check again.'
          )}
        </p>
      )
    case 'ready':
      return state.loading !== undefined ? (
        <div className="welcome-finding" role="status" data-testid="welcome-finding" data-loading="true">
          <p>
            <strong>{name} is loading its model.</strong> <span data-testid="welcome-model">{state.model}</span> answers as soon as it has
            loaded: say hello now and your prompt waits for it. Parley checks again by itself.
          </p>
          <p className="field-hint">The server answered 503: {/[.!?]$/.test(state.loading) ? state.loading : `${state.loading}.`}</p>
        </div>
      ) : (
        <p className="welcome-finding ready" role="status" data-testid="welcome-finding" data-first-answer-loads={state.firstAnswerLoads ? 'true' : undefined}>
          {/* A model the server has not loaded yet (Ollama, LM Studio) is not "ready": its first answer loads it. */}
          <strong>{name} is {state.firstAnswerLoads ? 'running' : 'ready'}.</strong> <span data-testid="welcome-model">{state.model}</span> will answer
          {state.picked ? ' (the first model it offers; change it in Settings)' : ''}
          {state.listed ? '' : ' (the server doesn’t list it; if it fails, choose one of its models in Settings)'}.
          {state.firstAnswerLoads ? ' It isn’t in memory yet: the first answer loads it, so it takes longer.' : ''} Say hello to start your
          first chat.
        </p>
      )
  }
}

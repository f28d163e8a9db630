import type { JSX } from 'react'

/** The whole window, when Parley cannot start: what failed, why, and what to try. */
export function StartupError(props: { title: string; detail: string }): JSX.Element {
  return (
    <main className="startup-error" role="alert">
      <h1>{props.title}</h1>
      <p className="startup-error-detail">{props.detail}</p>
      <p>Close this window and start Parley again. If it keeps happening, the log of the main process says more.</p>
      <button type="button" className="button primary" onClick={() => location.reload()}>
        Try again
      </button>
    </main>
  )
}

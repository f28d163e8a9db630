import { Component, type ErrorInfo, type JSX, type ReactNode } from 'react'
import { isMac } from '../commands/platform'

interface BoundaryProps {
  /** What is drawn instead of the children once one of them threw while rendering; `retry` draws them again. */
  fallback: (error: Error, retry: () => void) => ReactNode
  /** A new value draws the children again (another chat shown, the message changed). */
  resetKey?: unknown
  children: ReactNode
}

interface BoundaryState {
  failed: Error | undefined
  /** The `resetKey` drawn last: the error stays until it changes, or Try again. */
  key: unknown
}

/**
 * Keeps a render error inside the part of the window it happened in. Without one, React unmounts the whole tree on
 * any render error and the window goes blank, with the chat and the composer's text gone from sight.
 */
export class ErrorBoundary extends Component<BoundaryProps, BoundaryState> {
  override state: BoundaryState = { failed: undefined, key: this.props.resetKey }

  static getDerivedStateFromError(error: unknown): Partial<BoundaryState> {
    return { failed: error instanceof Error ? error : new Error(String(error)) }
  }

  static getDerivedStateFromProps(props: BoundaryProps, state: BoundaryState): BoundaryState | null {
    return Object.is(props.resetKey, state.key) ? null : { failed: undefined, key: props.resetKey }
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Parley could not draw part of its window:', error, info.componentStack)
  }

  private readonly retry = (): void => this.setState({ failed: undefined })

  override render(): ReactNode {
    return this.state.failed ? this.props.fallback(this.state.failed, this.retry) : this.props.children
  }
}

/**
 * A part of the window (the chat, the sidebar, a dialog) that shows what failed, and Try again, if it can't be drawn;
 * `onClose` adds Close (a dialog that would fail again).
 */
export function Region(props: { name: string; resetKey?: unknown; onClose?: () => void; children: ReactNode }): JSX.Element {
  return (
    <ErrorBoundary resetKey={props.resetKey} fallback={(error, retry) => <RegionError name={props.name} error={error} retry={retry} onClose={props.onClose} />}>
      {props.children}
    </ErrorBoundary>
  )
}

export function RegionError(props: { name: string; error: Error; retry: () => void; onClose: (() => void) | undefined }): JSX.Element {
  return (
    <div className="region-error" role="alert" data-testid="region-error">
      <p>
        Parley could not draw {props.name}: {props.error.message || props.error.name}
      </p>
      <p className="region-error-hint">Your chats are safe: nothing was changed. Try again, or reload the window ({isMac() ? '⌘R' : 'Ctrl+R'}).</p>
      <div className="region-error-actions">
        <button type="button" className="button small" onClick={props.retry}>
          Try again
        </button>
        {props.onClose ? (
          <button type="button" className="button small" onClick={props.onClose}>
            Close
          </button>
        ) : null}
      </div>
    </div>
  )
}

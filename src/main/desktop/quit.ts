/**
 * The app's `before-quit` handler: the first quit is held (preventDefault) until the core has shut down — the queue
 * journaled, the running turns finished as interrupted — and then asked again; every quit in between is held too.
 * The core is shut down exactly once.
 */
export function shutdownBeforeQuit(
  shutdown: () => Promise<void>,
  quit: () => void,
  report: (error: unknown) => void = (error) => console.error('[parley] shutting down failed:', error)
): (event: { preventDefault(): void }) => void {
  let state: 'running' | 'stopping' | 'stopped' = 'running'
  return (event) => {
    if (state === 'stopped') return
    event.preventDefault()
    if (state === 'stopping') return
    state = 'stopping'
    shutdown()
      .catch(report)
      .finally(() => {
        state = 'stopped'
        quit()
      })
  }
}

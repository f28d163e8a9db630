/** Settles once the window has nothing else to do, or after `timeoutMs` at the latest (soon, without requestIdleCallback). */
export function whenIdle(timeoutMs = 2000): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: timeoutMs })
    else setTimeout(resolve, 200)
  })
}

/** Virtuoso's item list, by the test id it gives it (it has no ref for it). */
export const itemListSelector = '[data-testid="virtuoso-item-list"]'

/** Virtuoso's scroller and item list in a list's frame, found by the test ids it gives them; none before it mounts. */
export function virtuosoParts(root: Element | null | undefined): { scroller: HTMLElement; items: HTMLElement } | undefined {
  const scroller = root?.querySelector<HTMLElement>('[data-testid="virtuoso-scroller"]')
  const items = root?.querySelector<HTMLElement>(itemListSelector)
  return scroller && items ? { scroller, items } : undefined
}

/** Virtuoso's item list, by the test id it gives it (it has no ref for it). */
export const itemListSelector = '[data-testid="virtuoso-item-list"]'

/** Virtuoso's scroller and item list in a list's frame, found by the test ids it gives them; none before it mounts. */
export function virtuosoParts(root: Element | null | undefined): { scroller: HTMLElement; items: HTMLElement } | undefined {
  const scroller = root?.querySelector<HTMLElement>('[data-testid="virtuoso-scroller"]')
  const items = root?.querySelector<HTMLElement>(itemListSelector)
  return scroller && items ? { scroller, items } : undefined
}

/**
 * Whether Virtuoso has measured the rows it drew at the sizes they have now: its item list is as tall as it reckons
 * (the padding that stands for the rows it has not drawn, and each drawn row's `data-known-size`). A ResizeObserver
 * told of a row's growth before Virtuoso's own is would otherwise act on a list Virtuoso still reckons shorter.
 */
export function measuredByList(items: HTMLElement): boolean {
  let reckoned = pixels(items.style.paddingTop) + pixels(items.style.paddingBottom)
  for (const row of Array.from(items.children)) {
    const known = row instanceof HTMLElement ? row.dataset['knownSize'] : undefined
    reckoned += known === undefined ? (row instanceof HTMLElement ? row.offsetHeight : 0) : pixels(known)
  }
  return Math.abs(items.offsetHeight - reckoned) <= 1
}

const pixels = (value: string): number => {
  const number = Number.parseFloat(value)
  return Number.isFinite(number) ? number : 0
}

/** What Tab can reach: controls that take the focus by themselves, and anything given a tabindex of 0 or more. */
const focusable = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex], [contenteditable="true"]'

function isTabStop(element: HTMLElement): boolean {
  const index = element.getAttribute('tabindex')
  if (index !== null && Number(index) < 0) return false
  return !element.closest('[hidden], [inert]') && element.checkVisibility({ visibilityProperty: true })
}

/** The places Tab stops at inside `root`, in the order Tab visits them (the document's). */
export function tabStops(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(focusable)).filter(isTabStop)
}

/**
 * Where Tab (`step` 1) or Shift+Tab (-1) goes from `from` among `stops`, wrapping at either end. From somewhere that
 * is not a stop (the dialog itself, or the page behind it) it goes to the next stop after it in the document, or the
 * one before it.
 */
export function nextTabStop(stops: readonly HTMLElement[], from: Element | null, step: 1 | -1): HTMLElement | undefined {
  const at = stops.findIndex((stop) => stop === from)
  if (at >= 0) return stops[(at + step + stops.length) % stops.length]
  const first = stops[0]
  const last = stops[stops.length - 1]
  if (!from) return step === 1 ? first : last
  if (step === 1) return stops.find((stop) => from.compareDocumentPosition(stop) & Node.DOCUMENT_POSITION_FOLLOWING) ?? first
  return stops.findLast((stop) => from.compareDocumentPosition(stop) & Node.DOCUMENT_POSITION_PRECEDING) ?? last
}

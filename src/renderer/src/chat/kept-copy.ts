import { copyLabel, copyShownMs, type CopyOutcome } from './markdown/copy-outcome'

/**
 * The code a Copy button of a kept answer (`first-screen.ts`, drawn from its HTML before the markdown stack is in)
 * stands for: its block's code as drawn, which is the whole code unless the block shows its first lines only ("Show
 * all"), then none (the stack's own button copies it once it is in, ~150 ms after a start).
 */
export function keptCodeOf(button: Element): string | undefined {
  const block = button.closest('[data-testid="code-block"]')
  if (!block || block.querySelector('[data-testid="show-all"]')) return undefined
  return block.querySelector('pre')?.textContent ?? undefined
}

/**
 * A click in a kept answer: on a Copy button, puts its code on the clipboard and says so on the button for a moment,
 * as the stack's button does. (The kept HTML is the window's own DOM put back with innerHTML: its buttons have no
 * handlers, and a click on one did nothing until the stack had drawn the answer anew.)
 */
export function copyFromKept(target: EventTarget | null, clipboard: Pick<Clipboard, 'writeText'> = navigator.clipboard): void {
  const element = target instanceof Element ? target : target instanceof Node ? target.parentElement : null
  const button = element?.closest<HTMLElement>('[data-testid="copy-code"]') ?? null
  const code = button ? keptCodeOf(button) : undefined
  if (!button || code === undefined) return
  // Its own label, not what a click a moment ago put there.
  const label = button.dataset['label'] ?? button.textContent ?? 'Copy'
  button.dataset['label'] = label
  const say = (outcome: CopyOutcome): void => {
    button.textContent = copyLabel(outcome)
    button.dataset['copied'] = String(outcome === 'copied')
    setTimeout(() => {
      button.textContent = label
      button.dataset['copied'] = 'false'
    }, copyShownMs)
  }
  clipboard.writeText(code).then(
    () => say('copied'),
    () => say('failed')
  )
}

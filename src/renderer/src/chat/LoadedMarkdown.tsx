import { startTransition, useEffect, useState, type JSX } from 'react'
import { firstScreen } from './first-screen'
import { KeptMarkdown } from './KeptMarkdown'
import { markdownCode } from './markdown-code'

/**
 * Where the markdown stack stands; asks for it on mount (ChatView waits for it before it draws a chat). Its coming is
 * taken as a transition: what it lets the window draw (a chat's first rows with their Virtuoso, every answer on screen
 * formatted) is rendered in slices that yield to the browser, not in one task (issue 11: 30-48 ms renders in traces of
 * the long answers' chat opening at load).
 */
export function useMarkdownCode(): ReturnType<typeof markdownCode.getSnapshot> {
  const [state, setState] = useState(markdownCode.getSnapshot)
  useEffect(() => {
    const take = (): void => startTransition(() => setState(markdownCode.getSnapshot()))
    // What changed between this render and its effect is taken too.
    take()
    return markdownCode.subscribe(take)
  }, [])
  useEffect(() => {
    if (state.kind !== 'loaded') markdownCode.load().catch((error: unknown) => console.error('Parley could not load its markdown view:', error))
  }, [state.kind])
  return state
}

/**
 * An answer's markdown, drawn by the markdown stack once it is loaded. Until then, an answer of the screen kept from
 * the last start (`first-screen.ts`) is drawn from its HTML as kept. ChatView shows a chat only after either, so the
 * plain text below is seen only if the stack could not be loaded at all: the answer stays readable.
 */
export function LoadedMarkdown(props: { messageId: string; text: string; streaming: boolean }): JSX.Element {
  const state = useMarkdownCode()
  if (state.kind === 'loaded') return <state.value.Markdown messageId={props.messageId} text={props.text} streaming={props.streaming} />
  const kept = props.streaming ? undefined : firstScreen.htmlOf(props.messageId, props.text)
  if (kept !== undefined) return <KeptMarkdown html={kept} while="kept" />
  return (
    <div className="markdown" data-testid="markdown-unformatted">
      <p className="markdown-unformatted">{props.text}</p>
    </div>
  )
}

import { memo, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, type JSX } from 'react'
import { firstScreen } from './first-screen'
import { KeptMarkdown } from './KeptMarkdown'
import { blockShape } from './markdown/block-shape'
import { CodeBlock } from './markdown/CodeBlock'
import { drawnAnswers } from './markdown/drawn-answers'
import { answerFormatBudget, burstWaits, formattedCount, formattedInBackground, isBurst } from './markdown/format-budget'
import { LongTable } from './markdown/LongTable'
import { LongText } from './markdown/LongText'
import { ParsedMarkdown } from './markdown/ParsedMarkdown'
import { markdownBlocks, type MarkdownBlockSource } from './markdown-blocks'

/** One block, drawn by its shape: parsed as markdown, unless parsing it whole would hold the window. */
const MarkdownBlock = memo(function MarkdownBlock(props: { source: string; open: boolean }): JSX.Element {
  const shape = useMemo(() => blockShape(props.source), [props.source])
  switch (shape.kind) {
    case 'markdown':
      return <ParsedMarkdown source={props.source} open={props.open} />
    case 'table':
      return <LongTable head={shape.head} rows={shape.rows} />
    case 'code':
      return <CodeBlock code={shape.code} language={shape.language} open={props.open} />
    case 'text':
      return <LongText text={props.source} />
  }
})

/** A block that arrived faster than it could be formatted: its text as written, formatted a frame or a few later. */
const UnformattedBlock = memo(function UnformattedBlock(props: { source: string }): JSX.Element {
  return (
    <p className="long-text-body" data-testid="unformatted-block">
      {props.source}
    </p>
  )
})

/**
 * How many blocks are drawn formatted. A finished answer's blocks are all formatted when it is first drawn (opening a
 * chat shows it as it is). While an answer streams, new blocks are formatted within a frame's budget
 * (`FORMAT_CHARS_PER_FRAME`) and the rest in the frames after, so a burst of text is on screen at once and never holds
 * the window; an answer first drawn mid-stream (a burst's first frame) starts from none. While a burst is still coming
 * in (`burstWaits`), its blocks wait as written, and are formatted once it is quiet, whether or not the answer has
 * finished meanwhile (a finished answer drawn anew has had no burst, and is formatted as it is drawn).
 */
function useFormattedCount(blocks: readonly MarkdownBlockSource[], textLength: number, streaming: boolean): number {
  const formatted = useRef<number>(streaming ? 0 : blocks.length)
  const drawn = useRef({ length: textLength, burstAt: Number.NEGATIVE_INFINITY })
  // Counts the frames waited: each asks for the next until every block is formatted.
  const [framesWaited, nextFrame] = useState(0)
  // A burst the answer ended with waits out its quiet time too: formatted the moment the answer finished, it held the
  // frame that was to show the burst's end.
  const waits = burstWaits(textLength - drawn.current.length, drawn.current.burstAt, performance.now())
  const count = waits ? Math.min(formatted.current, blocks.length) : formattedCount(blocks.map((block) => block.text.length), formatted.current)
  useEffect(() => {
    if (isBurst(textLength - drawn.current.length)) drawn.current.burstAt = performance.now()
    drawn.current.length = textLength
    formatted.current = count
    if (count >= blocks.length) return
    const frame = requestAnimationFrame(() => nextFrame((n) => n + 1))
    return () => cancelAnimationFrame(frame)
  }, [count, blocks.length, textLength, framesWaited])
  return count
}

/**
 * An answer's markdown. A long answer already finished when it is first drawn (a chat opened, an answer scrolled back
 * to) is formatted in the background: its text shows as written for the frames that takes. Formatted in the render that
 * drew it, three such answers held the window ~250 ms (opening a chat of long answers, or a scroll coming to rest). So
 * are answers drawn in a task past what one frame formats (`answerFormatBudget`): the first frames of a fast scroll drew
 * dozens of rows at once.
 */
export function Markdown(props: { text: string; streaming: boolean; messageId?: string }): JSX.Element {
  const [inBackground] = useState(
    () => formattedInBackground(props.text.length, props.streaming) || (!props.streaming && !answerFormatBudget.formatNow(props.text.length))
  )
  return inBackground ? (
    <BackgroundMarkdown text={props.text} messageId={props.messageId} />
  ) : (
    <MarkdownBlocks text={props.text} streaming={props.streaming} messageId={props.messageId} />
  )
}

/**
 * Its text as written first (or its HTML as kept from the last start's screen, or as this window last drew it: it
 * looks formatted already, and is as tall as it will be); then, in a render React does in slices between frames (a
 * deferred value's second render has a transition's priority), formatted whole, shown in one commit.
 */
function BackgroundMarkdown(props: { text: string; messageId: string | undefined }): JSX.Element {
  const formatted = useDeferredValue(true, false)
  const [kept] = useState(() =>
    props.messageId === undefined ? undefined : (firstScreen.htmlOf(props.messageId, props.text) ?? drawnAnswers.htmlOf(props.messageId, props.text))
  )
  if (formatted) return <MarkdownBlocks text={props.text} streaming={false} messageId={props.messageId} />
  if (kept !== undefined) return <KeptMarkdown html={kept} while="formatting" />
  return (
    <div className="markdown" data-testid="markdown-formatting" data-formatting="">
      <p className="long-text-body">{props.text}</p>
    </div>
  )
}

/**
 * Keeps the answer's HTML as drawn when it goes (scrolled out of the list's rows), finished and formatted whole, to be
 * shown at once when it is drawn again (`BackgroundMarkdown`).
 */
function useKeptAsDrawn(messageId: string | undefined, text: string, streaming: boolean): (element: HTMLDivElement | null) => (() => void) | undefined {
  const latest = useRef({ text, streaming })
  useEffect(() => {
    latest.current = { text, streaming }
  }, [text, streaming])
  return useCallback(
    (element: HTMLDivElement | null) => {
      if (element === null || messageId === undefined) return undefined
      return () => {
        const { text: drawnText, streaming: streamingThen } = latest.current
        // Read once the window is idle: the element, out of the list, no longer changes.
        if (!streamingThen) drawnAnswers.keep(messageId, drawnText, () => (element.querySelector('[data-testid="unformatted-block"]') === null ? element.innerHTML : undefined))
      }
    },
    [messageId]
  )
}

/** An answer's markdown, block by block: while it streams, only its last block and new ones are parsed each frame. */
function MarkdownBlocks(props: { text: string; streaming: boolean; messageId: string | undefined }): JSX.Element {
  const blocks = useMemo(() => markdownBlocks(props.text), [props.text])
  const formatted = useFormattedCount(blocks, props.text.length, props.streaming)
  const kept = useKeptAsDrawn(props.messageId, props.text, props.streaming)
  return (
    <div className="markdown" ref={kept}>
      {blocks.map((block, index) =>
        // Blocks only ever grow at the end, so a block's index is a stable identity.
        index < formatted ? (
          <MarkdownBlock key={index} source={block.text} open={block.open} />
        ) : (
          <UnformattedBlock key={index} source={block.text} />
        )
      )}
    </div>
  )
}

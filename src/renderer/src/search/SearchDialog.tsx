import { useLiveQuery } from 'dexie-react-hooks'
import { useEffect, useMemo, useRef, useState, type JSX } from 'react'
import { foregroundReads } from '../db/foreground-reads'
import type { ParleyDatabase } from '../db/schema'
import { focusComposer } from '../composer/focus-composer'
import { PaletteDialog } from '../ui/PaletteDialog'
import { hitElementId, shownHits } from './result-list'
import type { IndexerState } from './idle-indexer'
import { LatestOnly } from './latest-only'
import { readNewestSample } from './newest-sample'
import { noResults, searchMessages, searchNewest, type NewestSample, type SearchHit, type SearchResults } from './search-messages'
import { SearchResultList } from './SearchResultList'

/** Whether the search index has caught up, or is being built from the messages in Dexie (with how far it has got). */
export type IndexState = IndexerState

export interface SearchDialogProps {
  db: ParleyDatabase
  /** Chats and messages deleted but still undoable: never shown. */
  hidden: ReadonlySet<string>
  /** The chats the sidebar holds, by id: their titles need no read (search-messages.ts). */
  listed: ReadonlyMap<string, { title: string | null }> | undefined
  index: IndexState
  /** Opens the chat at the chosen message. */
  onOpen: (sessionId: string, messageId: string) => void
  onClose: () => void
}

function IndexNote(props: { index: IndexState }): JSX.Element | null {
  const { index } = props
  if (index.kind === 'ready') return null
  if (index.kind === 'failed') return <p className="search-note">Search could not index your chats: {index.error}</p>
  const state =
    index.kind === 'waiting'
      ? 'Your chats will be indexed for search in a moment.'
      : `Indexing your chats for search… ${index.progress.done.toLocaleString()} of ${index.progress.total.toLocaleString()} messages.`
  return (
    <p className="search-note" role="status" data-testid="search-indexing">
      {state} Results so far are shown.
    </p>
  )
}

/** Ctrl/Cmd+K: searches every chat as you type; Up and Down choose a message, Enter opens it, Esc closes. */
export function SearchDialog(props: SearchDialogProps): JSX.Element {
  const { db, hidden, listed, index } = props
  const [query, setQuery] = useState('')
  const [results, setResults] = useState<SearchResults>(noResults)
  const [chosen, setChosen] = useState(0)

  // Each change of the query (or of the index: a pass after new messages, or progress while it is built) searches
  // again, at once and one search at a time: keys typed while one runs make one more, and an answer a newer query
  // overtook is never shown.
  const searches = useMemo(() => new LatestOnly<SearchResults>(), [])
  const indexedSoFar = index.kind === 'building' ? index.progress.done : index.kind === 'ready' ? -1 - index.passes : 0
  // What every search reads first, read ahead (and again as the index moves): a common word or a short prefix, which
  // every word being typed is until it gets rare, is answered from it in the render that draws the typed key.
  // A read that fails (IndexedDB refusing) leaves the IndexedDB search to answer, and says why in the console: thrown
  // from the live query, it would take the dialog down with it.
  const sample = useLiveQuery(
    () =>
      readNewestSample(db).catch((error: unknown) => {
        console.warn('Search could not read the newest messages ahead; each search reads IndexedDB:', error)
        return undefined
      }),
    [db]
  )
  // What was last searched for: a key typed starts its search in the input event itself (the read then overlaps
  // React's render and the frame that shows the letter; started from the effect, after that frame's paint, the
  // results came a frame later), and the effect that follows finds it asked already.
  const asked = useRef<{ query: string; hidden: ReadonlySet<string>; indexedSoFar: number; sample: NewestSample | undefined } | undefined>(undefined)
  useEffect(
    () => () => {
      searches.stop()
      asked.current = undefined
    },
    [searches]
  )
  const search = (wanted: string): void => {
    const last = asked.current
    if (last && last.query === wanted && last.hidden === hidden && last.indexedSoFar === indexedSoFar && last.sample === sample) return
    asked.current = { query: wanted, hidden, indexedSoFar, sample }
    const options = { limit: 50, hidden, ...(listed ? { listed } : {}) }
    const now = searchNewest(sample, wanted, options)
    if (now) {
      // Answered here: a search of IndexedDB still running for an earlier key is not shown when it ends.
      searches.stop()
      setResults(now)
      return
    }
    searches.ask(
      // A foreground read: the sidebar's reading and the indexer hold back until it is done.
      () => foregroundReads.run(() => searchMessages(db, wanted, options)),
      (found) => setResults(found),
      () => setResults(noResults)
    )
  }
  const searchNow = useRef(search)
  searchNow.current = search
  useEffect(() => {
    searchNow.current(query)
    // `listed` is left out on purpose: a change of the sidebar's list alone (a chat touched) needs no new search.
  }, [searches, db, query, hidden, indexedSoFar, sample])

  const hits = shownHits(results.chats)
  const at = Math.min(chosen, Math.max(0, hits.length - 1))
  const open = (choice: SearchHit | undefined): void => {
    if (!choice) return
    // The person goes on in the composer, under the message found (not back where search was opened).
    focusComposer(document)
    props.onClose()
    props.onOpen(choice.sessionId, choice.messageId)
  }
  const chosenHit = hits[at]

  return (
    <PaletteDialog
      label="Search all chats"
      testId="search-dialog"
      className="search"
      placeholder="Search all chats…"
      inputLabel="Search all chats"
      listId="search-results"
      chosenId={chosenHit ? hitElementId(chosenHit) : undefined}
      query={query}
      onQuery={(typed) => {
        setQuery(typed)
        setChosen(0)
        search(typed)
      }}
      count={hits.length}
      at={at}
      onMove={setChosen}
      onChoose={() => open(chosenHit)}
      onClose={props.onClose}
    >
      <IndexNote index={index} />
      <SearchResultList results={results} query={query} chosen={chosenHit} onChoose={(hit) => setChosen(hits.indexOf(hit))} onOpen={open} />
    </PaletteDialog>
  )
}

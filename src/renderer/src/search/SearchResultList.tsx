import { Fragment, type JSX } from 'react'
import { untitled } from '../sessions/SessionItem'
import { hitElementId } from './result-list'
import type { SearchHit, SearchResults } from './search-messages'
import type { SnippetPart } from './snippet'

function Snippet(props: { parts: readonly SnippetPart[] }): JSX.Element {
  return (
    <span className="search-snippet">
      {props.parts.map((part, at) => (part.marked ? <mark key={at}>{part.text}</mark> : <Fragment key={at}>{part.text}</Fragment>))}
    </span>
  )
}

/** The search's results, chat by chat under their titles, or what to do when there are none. */
export function SearchResultList(props: {
  results: SearchResults
  query: string
  /** The hit Enter opens (Up and Down, or the pointer, move it). */
  chosen: SearchHit | undefined
  onChoose: (hit: SearchHit) => void
  onOpen: (hit: SearchHit) => void
}): JSX.Element {
  const { results, query, chosen } = props
  return (
    <div id="search-results" className="search-results" role="listbox" aria-label="Messages found">
      {results.chats.map((chat) => (
        <div key={chat.sessionId} role="group" aria-label={chat.title ?? untitled} className="search-chat" data-testid="search-chat">
          <div className="search-chat-title" aria-hidden="true">
            {chat.title ?? untitled}
          </div>
          {chat.hits.map((hit) => (
            <div
              key={hit.messageId}
              id={hitElementId(hit)}
              role="option"
              aria-selected={hit === chosen}
              className={hit === chosen ? 'palette-item search-hit chosen' : 'palette-item search-hit'}
              data-testid="search-hit"
              onMouseEnter={() => props.onChoose(hit)}
              onClick={() => props.onOpen(hit)}
            >
              <span className="search-role">{hit.role === 'user' ? 'You' : 'Answer'}</span>
              <Snippet parts={hit.snippet} />
            </div>
          ))}
        </div>
      ))}
      {query.trim() !== '' && results.chats.length === 0 ? <div className="palette-none">No message matches “{query}”.</div> : null}
      {query.trim() === '' ? <div className="palette-none">Type a word, or the start of one, to search every chat.</div> : null}
    </div>
  )
}

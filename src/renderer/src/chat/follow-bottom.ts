/** Where the list's scroller is: its scrollTop and the sizes that say how far from the bottom that is. */
export interface ScrollPlace {
  scrollTop: number
  scrollHeight: number
  clientHeight: number
}

/** Whether the list keeps to the bottom as an answer grows, and the scrollTop it last heard of. */
export interface Following {
  following: boolean
  lastTop: number
  /**
   * The reader moved up (the wheel, a key), and hasn't moved down since (`afterReaderMove`): being at the bottom then
   * is the list's own jump, landed before their scroll, not the reader coming back. They come back with the wheel
   * down, a key down, the scrollbar, End or the ↓ button.
   */
  leaving?: true
}

/** How close to the bottom (px) still counts as reading the latest. */
export const bottomSlack = 48

/**
 * A list just opened. At the end, it follows until the reader moves up: its first scroll events come from the list
 * settling at the bottom as rows are measured (the last one taller than guessed leaves it short of the bottom for a
 * moment), and an answer arriving then, after a prompt sent from far up, was left below the fold. At a message, it
 * doesn't follow: its first scroll event decides by the distance alone.
 */
export function followingFrom(opening: 'end' | 'message'): Following {
  return opening === 'end' ? { following: true, lastTop: Number.NEGATIVE_INFINITY } : { following: false, lastTop: Number.POSITIVE_INFINITY }
}

/**
 * What a scroll event says about following the bottom. Only a move up leaves the bottom: the reader scrolling (by
 * wheel, keys, scrollbar or a script). A scroll event is heard a frame after the scroll, and a fast answer may have
 * grown by then, so "far from the bottom" alone is not the reader's doing: the list's own jump to the bottom arrives
 * as a move down, however far the answer has run ahead meanwhile. Reaching the bottom resumes following.
 */
export function afterScroll(state: Following, place: ScrollPlace): Following {
  const distance = place.scrollHeight - place.scrollTop - place.clientHeight
  if (state.leaving) return { following: false, lastTop: place.scrollTop, leaving: true }
  if (distance <= bottomSlack) return { following: true, lastTop: place.scrollTop }
  const movedUp = place.scrollTop < state.lastTop - 1
  // Up by no more than the slack from where the list followed: still at its bottom but for the answer's growth since
  // (the browser lowers scrollTop itself as the list is drawn shorter for a moment: its waiting dots gone before the
  // answer's row came, heard once that row was 15,000 px). Steps up add up from the list's place until past the slack.
  if (movedUp && state.following && place.scrollTop >= state.lastTop - bottomSlack) return state
  return { following: movedUp ? false : state.following, lastTop: place.scrollTop }
}

/**
 * The reader moved the list themselves: the wheel turned (`direction` its deltaY), a key that scrolls it
 * (`keyDirection`), or the pointer pressed on its scrollbar (+1: the drag that follows may go either way, and its
 * scroll events decide). Up, they leave the bottom now, before the scroll it makes is heard; down, they may come back
 * to it. A token arriving in between moved the list back to the bottom first, and the scroll event then (and Virtuoso's
 * "at the bottom") said it was there, so it followed again: under load, five turns of the wheel up while an answer
 * streamed were all undone. (Only the wheel, End and the ↓ button brought it back at first: the scrollbar dragged back
 * to the bottom, or Page Down there, left it still.)
 */
export function afterReaderMove(state: Following, direction: number, scrollTop: number): Following {
  // Up from the very top (a list too short to scroll) moves nothing.
  if (direction < 0 && scrollTop > 0) return { following: false, lastTop: scrollTop, leaving: true }
  if (direction > 0 && state.leaving) return { following: state.following, lastTop: state.lastTop }
  return state
}

/**
 * Which way a key pressed in the list scrolls it: -1 up, +1 down, 0 not at all. Keys typed in a text field (a prompt
 * being edited) move its caret, not the list.
 */
export function keyDirection(key: string, shift: boolean, inTextField: boolean): -1 | 0 | 1 {
  if (inTextField) return 0
  if (key === 'ArrowUp' || key === 'PageUp' || key === 'Home' || (key === ' ' && shift)) return -1
  if (key === 'ArrowDown' || key === 'PageDown' || key === 'End' || key === ' ') return 1
  return 0
}

/**
 * The list's own jump to the bottom (an answer grew): remembered as where the list is, so the scroll event it causes,
 * heard a frame later when the answer may have grown far beyond it, is not taken for the reader's move up. Without it,
 * a new chat's first answer arriving in a burst stopped being followed at its first jump (lastTop was still "none").
 */
export function afterOwnJump(state: Following, scrollTop: number): Following {
  return { following: state.following, lastTop: scrollTop }
}

/**
 * The list says it is at the bottom (Virtuoso's `atBottomStateChange`, as it opens at the end or the reader gets
 * there): following, from this scrollTop. A list opened at the end may get there without a scroll event of its own;
 * without a place to compare with, the reader's first scroll up would not read as a move up (`followingFrom('end')`).
 * Only if the scroller agrees: Virtuoso reckons from the sizes it has measured, a frame behind the page (and from
 * placeholders' sizes while a fast scroll passes), so its word alone could make a list follow again far from its
 * bottom and pull the reader down at the next growth. (A guard: no failure was traced to it.)
 */
export function atBottomSeen(state: Following, place: ScrollPlace): Following {
  if (place.scrollHeight - place.scrollTop - place.clientHeight > bottomSlack) return state
  return state.leaving ? { ...state, lastTop: place.scrollTop } : { following: true, lastTop: place.scrollTop }
}

/**
 * Whether a scroll this fast draws messages as placeholders (Virtuoso's scroll seek, velocity in px per 100 ms). Never
 * while the list follows the bottom: that movement is the list's own jump after a growing answer, not a fling, and as
 * a placeholder the streaming answer was unmounted and formatted whole again each time it came back (~300 ms a time
 * for 10,000 tokens).
 */
export function seeksPast(velocity: number, state: Following): boolean {
  return !state.following && Math.abs(velocity) > 800
}

/**
 * What "Jump to the newest message" does, and whether it shows: nothing while the list follows the bottom of the live
 * end; a scroll to the bottom when the reader is up in the live window; the chat opened anew at its end when the window
 * is elsewhere (opened at a search result or a link, or scrolled up past the pages it holds), whose newest messages
 * are not in the list at all.
 */
export type NewestJump = 'none' | 'scroll' | 'reopen'

export function newestJump(live: boolean, following: boolean): NewestJump {
  if (!live) return 'reopen'
  return following ? 'none' : 'scroll'
}

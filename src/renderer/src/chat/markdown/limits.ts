/**
 * Where rendering stops being cheap. Measured in Node on this 2-core machine: highlight.js takes about 30 ms for 5 KB
 * of code and 440 ms for 55 KB; react-markdown with GFM takes about 0.5 s for a 300-row table and 3.6 s for 3,000 rows. In the page, before
 * these limits, a 3,000-row table held the window 8.1 s and a megabyte on one line 5.5 s (e2e/web/markdown.spec.ts).
 * Past these limits a block is shown plainly, in part with a button that shows the rest, or (a table) in a scroller.
 */

/** Code longer than this is shown without highlighting. */
export const HIGHLIGHT_MAX_CHARS = 20_000

/** A code block longer than this shows its first lines and "Show all". */
export const CODE_SHOWN_LINES = 400

/** A block longer than this is never given to the markdown parser: it is shown as plain text (a code block or a table excepted). */
export const PARSE_MAX_CHARS = 40_000

/** A table of more rows than this is not parsed whole: it is drawn in a scroller, only the rows in view in the page. */
export const TABLE_PARSED_MAX_ROWS = 100
/** How many rows such a table draws before it has measured itself. */
export const TABLE_FIRST_ROWS_DRAWN = 30

/** A user's prompt longer than either of these is collapsed, with "Show more". */
export const PROMPT_SHOWN_LINES = 20
export const PROMPT_SHOWN_CHARS = 2_000

/**
 * How much new markdown (characters of source) is formatted in one frame when an answer arrives faster than that: the
 * rest shows as plain text at once and is formatted in the frames after. Measured on this machine under load ~6: a
 * 10,000-token answer (66 KB, 50 code blocks, 100 formulas) formatted in one go held the window 270–350 ms per frame.
 */
export const FORMAT_CHARS_PER_FRAME = 2_500

/**
 * What parsing an answer costs whatever its length, counted as characters of source against `FORMAT_CHARS_PER_FRAME`
 * when many are drawn at once: react-markdown makes a processor and micromark combines its extensions for each
 * (~1–4 ms a parse on this machine, traced while a long chat scrolled).
 */
export const ANSWER_FORMAT_COST_CHARS = 250

/**
 * A finished answer longer than this, when first drawn, is formatted in the background (React's time-sliced render),
 * its text shown as written meanwhile. Measured in the page (traced): opening a chat whose last six rows held three
 * answers of ~14,000 characters (six code blocks each) was one 567 ms task; scrolling up through such answers, 257 ms.
 */
export const BACKGROUND_FORMAT_CHARS = 2 * FORMAT_CHARS_PER_FRAME

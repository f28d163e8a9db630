/** An edge of a chat's window: its start (older messages above) or its end (newer below). */
export type Edge = 'older' | 'newer'

/**
 * Which page reads the list may start, one per edge at a time. An edge may not be read while its read is under way,
 * nor again from the page it was read from (the window has moved by then and the page's replacement is on its way),
 * nor while the page shown is a window behind. Not by the edge's value: a window that comes back to an end it had (a
 * page dropped at the bottom as the reader went up a page) must read from it again, or the list stops there for good.
 */
export class PageReads<Page extends object> {
  private readonly state: Partial<Record<Edge, Page | 'reading'>> = {}

  /** Whether a read of `edge` may start from `page`, which is `fresh` when it was read for the current window. */
  may(edge: Edge, page: Page, fresh: boolean): boolean {
    const last = this.state[edge]
    return fresh && last !== 'reading' && last !== page
  }

  started(edge: Edge): void {
    this.state[edge] = 'reading'
  }

  /** The read from `page` moved the window. */
  moved(edge: Edge, page: Page): void {
    this.state[edge] = page
  }

  /** The read failed: the next reason to read may try again. */
  failed(edge: Edge): void {
    this.state[edge] = undefined
  }
}

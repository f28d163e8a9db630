/** A message the index found: where it is, how recent, and how many of the query's words it holds. */
export interface Candidate {
  createdAt: number
  sessionId: string
  messageId: string
  matched: number
}

/** Messages holding every word first (more words before fewer), then the newest; ties in a stable order. */
export function byRank(a: Candidate, b: Candidate): number {
  return b.matched - a.matched || b.createdAt - a.createdAt || (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0)
}

/** The best `limit` candidates in rank order, without sorting all of them when there are many. */
export function topCandidates(candidates: readonly Candidate[], limit: number): Candidate[] {
  if (candidates.length <= limit * 4) return [...candidates].sort(byRank).slice(0, limit)
  // Keep a sorted window of `limit`: each candidate is compared with the worst kept one first, and most lose.
  const kept: Candidate[] = []
  for (const candidate of candidates) {
    const worst = kept.at(-1)
    if (kept.length >= limit && worst && byRank(candidate, worst) >= 0) continue
    let at = kept.length
    while (at > 0 && byRank(candidate, kept[at - 1] as Candidate) < 0) at -= 1
    kept.splice(at, 0, candidate)
    if (kept.length > limit) kept.pop()
  }
  return kept
}

/** Results of one chat, in rank order. */
export interface ChatGroup<T> {
  sessionId: string
  hits: T[]
}

/** Groups ranked hits by chat: a chat comes where its best hit ranks, and keeps its hits in rank order. */
export function groupByChat<T extends { sessionId: string }>(ranked: readonly T[]): ChatGroup<T>[] {
  const groups = new Map<string, ChatGroup<T>>()
  for (const hit of ranked) {
    const group = groups.get(hit.sessionId)
    if (group) group.hits.push(hit)
    else groups.set(hit.sessionId, { sessionId: hit.sessionId, hits: [hit] })
  }
  return [...groups.values()]
}

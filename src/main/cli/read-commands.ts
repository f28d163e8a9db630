import {
  archivedChat,
  chatAsMarkdown,
  type ChatListItem,
  ParleyError,
  type Message,
  type ParleyApi,
  type SnapshotMessage,
  type SnapshotSession,
  type Status
} from '../../shared'

/**
 * One chat and its messages in created order, from a snapshot of that chat alone (`historySnapshot` with its id); null
 * if there is none. Main sends a chat's messages newest first, and `archivedChat` reads them in created order.
 */
async function readChat(api: Pick<ParleyApi, 'historySnapshot'>, sessionId: string): Promise<{ session: SnapshotSession; messages: Message[] } | null> {
  const messages: SnapshotMessage[] = []
  let session: SnapshotSession | undefined
  let page = await api.historySnapshot({ cursor: null, sessionId })
  for (;;) {
    session ??= page.sessions.find((s) => s.id === sessionId)
    for (const logged of page.messages) if (logged.message.sessionId === sessionId) messages.push(logged)
    if (page.next === null) {
      if (!session) return null
      return { session, messages: messages.sort((a, b) => a.createdSeq - b.createdSeq).map(({ message }) => message) }
    }
    page = await api.historySnapshot({ cursor: page.next })
  }
}

/** `parley chats`: one line a chat, newest activity first: id, title, last activity (UTC). */
export async function listChats(api: Pick<ParleyApi, 'listChats'>, json: boolean): Promise<string> {
  const chats = (await api.listChats({})).map((session) => ({
    id: session.id,
    title: session.title,
    lastActivity: new Date(session.updatedAt).toISOString()
  }))
  if (json) return `${JSON.stringify(chats, null, 2)}\n`
  if (chats.length === 0) return 'No chats yet.\n'
  return chats.map((chat) => `${chat.id}\t${chat.title ?? 'Untitled chat'}\t${chat.lastActivity}\n`).join('')
}

/**
 * `parley run --continue`: the chat with the newest activity, the one `parley chats` lists first; null with
 * none. Main sorts and answers that one row: no message is read but each chat's newest.
 */
export async function latestChat(api: Pick<ParleyApi, 'listChats'>): Promise<ChatListItem | null> {
  const [newest] = await api.listChats({ limit: 1 })
  return newest ?? null
}

/** `parley show ID`: the chat as Markdown, the branch shown (the same Markdown as the window's export). */
export async function showChat(api: Pick<ParleyApi, 'historySnapshot'>, sessionId: string): Promise<string> {
  const chat = await readChat(api, sessionId)
  if (!chat) throw new ParleyError('SessionMissing', `There is no chat with the id ${sessionId}: \`parley chats\` lists them.`)
  return chatAsMarkdown(archivedChat(chat.session, chat.session.leafId, chat.messages))
}

/**
 * What the active run waits on before its first token, as one line under its chat (`now`: the clock the next try is
 * counted from): a rate limit's next try (C4), said first as the window says it, then its model loading (C6).
 */
function runWaitLines(session: Status['sessions'][number], now: number): string[] {
  const lines: string[] = []
  const { retry, loading } = session
  if (retry) {
    const why = retry.status === undefined || retry.status === 429 ? 'rate limited' : 'the server is busy'
    const seconds = Math.ceil((retry.retryAt - now) / 1000)
    const when = seconds > 0 ? `trying again in ${seconds} s` : 'trying again now'
    lines.push(`  ${why} (try ${retry.attempt}), ${when}: ${retry.detail}`)
  }
  if (loading) lines.push(`  ${loading.detail}`)
  return lines
}

/**
 * `parley status`: each busy chat or chat with a queue, its active run (and what it waits on before its first token)
 * and waiting prompts; then the providers.
 */
export function statusText(status: Status, titles: ReadonlyMap<string, string | null>, now = Date.now()): string {
  const lines: string[] = []
  const working = status.sessions.filter((s) => s.busy || s.queue.length > 0)
  if (working.length === 0) lines.push('No chat is answering, and no prompt is waiting.')
  for (const session of working) {
    const title = titles.get(session.sessionId) ?? 'Untitled chat'
    const state = session.busy ? `answering (run ${session.activeRunId ?? '?'})` : 'idle'
    lines.push(`${session.sessionId}\t${title}\t${state}, ${session.queue.length} queued`)
    lines.push(...runWaitLines(session, now))
    session.queue.forEach((item, at) => {
      const prompt = item.prompt.replace(/\s+/g, ' ').slice(0, 60)
      lines.push(`  ${at + 1}. ${item.state}\t${item.runId}\t${prompt}`)
    })
  }
  for (const provider of status.providers) {
    const reach = provider.reachable === null ? 'not tried yet' : provider.reachable ? 'answers' : `does not answer${provider.state ? ` (${provider.state})` : ''}`
    lines.push(`provider ${provider.providerId}: ${reach}`)
  }
  return `${lines.join('\n')}\n`
}

export async function showStatus(api: Pick<ParleyApi, 'status' | 'listChats'>, json: boolean): Promise<string> {
  const status = await api.status()
  if (json) return `${JSON.stringify(status, null, 2)}\n`
  const chats = await api.listChats({})
  return statusText(status, new Map(chats.map((s) => [s.id, s.title])))
}

/** Models that only embed or rank text (`nomic-embed-text`, LM Studio's `text-embedding-…`): they can't chat. */
const notForChat = /embed|rerank/i

/**
 * Whether a model a server lists looks like one that can chat, by its name (servers don't say). The welcome picks
 * only such a model, and the chat's model picker offers only such models.
 */
export function canChat(model: string): boolean {
  return !notForChat.test(model)
}

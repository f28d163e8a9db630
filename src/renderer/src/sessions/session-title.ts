/** What the sidebar and the header call a chat that has no title yet. */
export const untitled = 'New chat'

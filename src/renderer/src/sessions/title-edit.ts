/** What a rename typed in a chat's title field comes to, against the title it has now. */
export type TitleEdit = { kind: 'rename'; title: string } | { kind: 'unchanged' } | { kind: 'empty' }

/** Said under the title field while it holds nothing but spaces: such a title is refused, never sent. */
export const emptyTitleHint = 'A chat needs a title: type one, or press Esc to keep the old one.'

/** A title is trimmed; an empty one is refused, and one the same as now is not sent again. */
export function titleEdit(typed: string, current: string): TitleEdit {
  const title = typed.trim()
  if (title === '') return { kind: 'empty' }
  if (title === current) return { kind: 'unchanged' }
  return { kind: 'rename', title }
}

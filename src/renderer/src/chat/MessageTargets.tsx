import { useMemo, type JSX, type ReactNode } from 'react'
import { MessageTargetContext, useMessageTargets } from './use-message-target'

/** Holds the message to open a chat at, for everything inside it (App wraps the window in it). */
export function MessageTargets(props: { children: ReactNode }): JSX.Element {
  const { target, openMessage } = useMessageTargets()
  const value = useMemo(() => ({ target, openMessage }), [target, openMessage])
  return <MessageTargetContext.Provider value={value}>{props.children}</MessageTargetContext.Provider>
}

import { useEffect, useRef, useState, type RefObject } from 'react'
import { FocusClaim } from './focus-claim'
import type { WelcomeState } from './first-answer'

/**
 * Ready: "Say hello" takes the focus, unless the person has turned to something else meanwhile (focus-claim.ts).
 * `section` goes on the welcome, `hello` on the button.
 */
export function useHelloFocus(step: WelcomeState['step']): { section: RefObject<HTMLElement | null>; hello: RefObject<HTMLButtonElement | null> } {
  const hello = useRef<HTMLButtonElement>(null)
  const section = useRef<HTMLElement>(null)
  const [claim] = useState(() => new FocusClaim(document, () => section.current))
  useEffect(() => {
    claim.start()
    return () => claim.stop()
  }, [claim])
  useEffect(() => {
    if (step === 'ready' && claim.mayTake()) hello.current?.focus()
  }, [step, claim])
  return { section, hello }
}

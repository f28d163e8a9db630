import { useCallback, useEffect, useRef, type RefObject } from 'react'

/**
 * For a control that goes while it is used and is drawn again in its place (a chat's row after its title was edited,
 * a delete button after "Keep"): `focusBack()` asks that the focus goes to `target` in the render that brings it back,
 * rather than being left on the page.
 */
export function useFocusBack(target: RefObject<HTMLElement | null>): () => void {
  const asked = useRef(false)
  useEffect(() => {
    if (!asked.current || !target.current) return
    asked.current = false
    target.current.focus()
  })
  return useCallback(() => {
    asked.current = true
  }, [])
}

// @vitest-environment happy-dom
import { act, cleanup, render } from '@testing-library/react'
import type { JSX } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { useFileDrop } from './use-file-drop'

afterEach(cleanup)

/** A drag event carrying `files` (happy-dom's DragEvent takes no DataTransfer, so one is set on it). */
function drag(type: string, files: File[], types = files.length > 0 ? ['Files'] : ['text/plain']): Event {
  const event = new Event(type, { bubbles: true, cancelable: true })
  Object.defineProperty(event, 'dataTransfer', { value: { types, files, items: [], dropEffect: 'none' } })
  return event
}

function Probe(props: { onFiles: (files: File[]) => void }): JSX.Element {
  const dragging = useFileDrop(props.onFiles)
  return <p data-testid="probe">{dragging ? 'dragging' : 'idle'}</p>
}

describe('useFileDrop', () => {
  const file = new File(['x'], 'x.txt', { type: 'text/plain' })

  it('shows the drop zone while files are dragged over the window, and attaches what is dropped', () => {
    const dropped: File[][] = []
    const view = render(<Probe onFiles={(files) => dropped.push(files)} />)
    const shown = (): string => view.getByTestId('probe').textContent ?? ''
    act(() => void window.dispatchEvent(drag('dragenter', [file])))
    expect(shown()).toBe('dragging')
    // Crossing into a child and back out of it keeps the zone.
    act(() => void window.dispatchEvent(drag('dragenter', [file])))
    act(() => void window.dispatchEvent(drag('dragleave', [file])))
    expect(shown()).toBe('dragging')
    const drop = drag('drop', [file])
    act(() => void window.dispatchEvent(drop))
    expect(shown()).toBe('idle')
    expect(dropped).toEqual([[file]])
    expect(drop.defaultPrevented).toBe(true)
  })

  it('leaves a drag of text alone, and hides the zone when the drag leaves the window', () => {
    const dropped: File[][] = []
    const view = render(<Probe onFiles={(files) => dropped.push(files)} />)
    act(() => void window.dispatchEvent(drag('dragenter', [])))
    expect(view.getByTestId('probe').textContent).toBe('idle')
    act(() => void window.dispatchEvent(drag('dragenter', [file])))
    act(() => void window.dispatchEvent(drag('dragleave', [file])))
    expect(view.getByTestId('probe').textContent).toBe('idle')
    const textDrop = drag('drop', [])
    act(() => void window.dispatchEvent(textDrop))
    expect(dropped).toEqual([])
    expect(textDrop.defaultPrevented).toBe(false)
  })
})

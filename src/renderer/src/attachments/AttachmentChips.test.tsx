// @vitest-environment happy-dom
import { cleanup, fireEvent, render } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { AttachmentChips } from './AttachmentChips'
import type { AttachmentChip } from './chip-list'

afterEach(cleanup)

const chip = (key: string, state: AttachmentChip['state'], extra: Partial<AttachmentChip> = {}): AttachmentChip => ({
  key,
  name: `${key}.png`,
  size: 2048,
  kind: 'image',
  thumbnail: null,
  state,
  ...extra
})

describe('AttachmentChips', () => {
  it('shows each file with its name and size, progress while on its way, its error when refused, and removes it', () => {
    const removed: string[] = []
    const view = render(
      <AttachmentChips
        chips={[
          chip('reading', { phase: 'reading', fraction: 0.4 }),
          chip('thumb', { phase: 'uploading' }, { thumbnail: 'data:image/webp;base64,AA' }),
          chip('refused', { phase: 'refused', error: 'This is 21 MB: an image can be at most 20 MB.' }, { kind: null })
        ]}
        onRemove={(key) => removed.push(key)}
      />
    )
    const items = view.getAllByTestId('attachment-chip')
    expect(items.map((item) => item.getAttribute('data-phase'))).toEqual(['reading', 'uploading', 'refused'])
    expect(items[0]?.textContent).toContain('reading.png')
    expect(items[0]?.textContent).toContain('2 KB')
    expect(view.getAllByTestId('attachment-progress')).toHaveLength(2)
    expect(view.getByTestId('attachment-thumb').getAttribute('src')).toBe('data:image/webp;base64,AA')
    expect(view.getByTestId('attachment-error').textContent).toBe('This is 21 MB: an image can be at most 20 MB.')
    fireEvent.click(view.getByRole('button', { name: 'Remove refused.png' }))
    expect(removed).toEqual(['refused'])
  })

  it('shows main’s warning on an attached chip (a PDF with no text), and nothing on one without', () => {
    const ref = { id: 'c'.repeat(64), name: 'scan.pdf', mimeType: 'application/pdf', size: 2048, kind: 'pdf' as const }
    const warning = 'No text found (scanned?): the model will see nothing of it, unless it reads PDFs itself (Claude).'
    const view = render(
      <AttachmentChips
        chips={[chip('scan', { phase: 'attached', ref, warning }, { kind: 'pdf' }), chip('cat', { phase: 'attached', ref: { ...ref, id: 'd'.repeat(64) } })]}
        onRemove={() => undefined}
      />
    )
    expect(view.getAllByTestId('attachment-warning').map((node) => node.textContent)).toEqual([warning])
    expect(view.getAllByTestId('attachment-chip')[0]?.textContent).toContain(warning)
  })

  it('draws nothing without attachments', () => {
    const view = render(<AttachmentChips chips={[]} onRemove={() => undefined} />)
    expect(view.container.childElementCount).toBe(0)
  })
})

import { describe, expect, it, vi } from 'vitest'
import { attachmentLimits, limits } from '../../../shared'
import type { AttachDeps } from '../attachments/attach-files'
import type { ChipAction } from '../attachments/chip-list'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { pastedTextName } from './long-prompt'
import { attachPromptAsFile } from './prompt-as-file'

const never: AttachDeps = { api: new FakeParleyApi(), prepare: () => new Promise(() => undefined), keepThumbnail: () => Promise.resolve() }

describe('attachPromptAsFile', () => {
  it('adds the prompt as pasted text.txt to the chips and says the box may be cleared', () => {
    const dispatch = vi.fn<(action: ChipAction) => void>()
    const result = attachPromptAsFile({ attach: never, onPrompt: 2, dispatch, restore: () => undefined }, 'z'.repeat(limits.promptChars + 1))
    expect(result).toEqual({ ok: true, leftOut: null })
    const added = dispatch.mock.calls[0]?.[0]
    expect(added?.type === 'added' ? added.chips.map((chip) => [chip.name, chip.state.phase]) : added).toEqual([[pastedTextName, 'reading']])
  })

  it('attaches nothing when the prompt has no room for another file: the text stays where it is', () => {
    const dispatch = vi.fn<(action: ChipAction) => void>()
    const result = attachPromptAsFile({ attach: never, onPrompt: attachmentLimits.perPrompt, dispatch, restore: () => undefined }, 'z')
    expect(result.ok).toBe(false)
    expect(result.ok ? '' : result.error).toMatch(/at most 16/)
    expect(dispatch).not.toHaveBeenCalled()
  })
})

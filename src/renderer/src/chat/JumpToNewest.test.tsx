// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { JumpToNewest } from './JumpToNewest'

afterEach(cleanup)

describe('JumpToNewest', () => {
  it('is a button named for what it does, with a downward arrow, that jumps when pressed', () => {
    const onJump = vi.fn()
    render(<JumpToNewest onJump={onJump} />)
    const button = screen.getByRole('button', { name: 'Jump to the newest message (End)' })
    expect(button.querySelector('svg')?.dataset['icon']).toBe('arrow-down')
    fireEvent.click(button)
    expect(onJump).toHaveBeenCalledTimes(1)
  })
})

import { describe, expect, it } from 'vitest'
import { thousands } from './thousands'

describe('thousands', () => {
  it('separates thousands with commas, and drops a fraction', () => {
    expect([0, 999, 1000, 200_000, 1_546_830, 12.9].map(thousands)).toEqual(['0', '999', '1,000', '200,000', '1,546,830', '12'])
  })
})

import { describe, expect, it } from 'vitest'
import { loadFormulaFonts } from './formula-fonts'

const face = (family: string, fails = false) => {
  const loaded = { count: 0 }
  return {
    family,
    loaded,
    load: () => {
      loaded.count += 1
      return fails ? Promise.reject(new Error('NetworkError')) : Promise.resolve()
    }
  }
}

describe('loadFormulaFonts', () => {
  it("asks for the faces of ordinary formulas, quoted or not, and leaves the page's other fonts and KaTeX's rarer ones", async () => {
    const faces = [face('KaTeX_Main'), face('"KaTeX_Math"'), face('KaTeX_Size1'), face('KaTeX_Size2'), face('KaTeX_AMS'), face('KaTeX_Fraktur'), face('KaTeX_Size4'), face('Inter')]
    expect(loadFormulaFonts(faces)).toBe(5)
    expect(faces.map((f) => f.loaded.count)).toEqual([1, 1, 1, 1, 1, 0, 0, 0])
  })

  it('lets a face that fails to load fail quietly, and does nothing where there are no fonts', async () => {
    const faces = [face('KaTeX_Main', true)]
    expect(loadFormulaFonts(faces)).toBe(1)
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(loadFormulaFonts(undefined)).toBe(0)
    expect(loadFormulaFonts([])).toBe(0)
  })
})

import { describe, expect, it } from 'vitest'
import type { Root } from 'react-dom/client'
import type { Bridge } from '../bridge'
import type { OpenedHistory } from '../db/open-history'
import { bootInStages, type BootStages } from './stages'
import type { FirstSteps } from './first-steps'

const never = <T,>(): Promise<T> => new Promise<T>(() => undefined)

function recordingStages(log: string[], fail?: 'firstSteps'): BootStages {
  const root = { render: () => undefined } as unknown as Root
  const steps: FirstSteps = { opening: never<OpenedHistory>(), bridge: never<Bridge>() }
  return {
    forFirstSteps: [async () => log.push('zod evaluated'), async () => log.push('schemas evaluated')],
    firstSteps: async () => {
      log.push('first steps evaluated')
      if (fail) throw new Error('Failed to fetch dynamically imported module')
      return { beginStart: () => (log.push('history opening, bridge connecting'), steps) }
    },
    forApp: [async () => log.push('react evaluated')],
    react: async () => {
      log.push('react-dom evaluated')
      return { createRoot: () => (log.push('root made'), root) }
    },
    app: async () => {
      log.push('app evaluated')
      return {
        startApp: async (given, begun) => {
          log.push(`app started${given === root && begun === steps ? ' on them' : ''}`)
        }
      }
    }
  }
}

describe('bootInStages', () => {
  it('evaluates each stage in a task of its own, and begins opening the history before React and the app are evaluated', async () => {
    const log: string[] = []
    const pause = async (): Promise<void> => {
      log.push('pause')
    }
    await bootInStages({ textContent: '' } as HTMLElement, recordingStages(log), pause)
    expect(log).toEqual([
      'zod evaluated',
      'pause',
      'schemas evaluated',
      'pause',
      'first steps evaluated',
      'history opening, bridge connecting',
      'pause',
      'react evaluated',
      'pause',
      'react-dom evaluated',
      'root made',
      'pause',
      'app evaluated',
      'app started on them'
    ])
  })

  it('says so in the window when a stage cannot be loaded', async () => {
    const container = { textContent: '' } as HTMLElement
    const log: string[] = []
    await bootInStages(container, recordingStages(log, 'firstSteps'), async () => undefined)
    expect(container.textContent).toBe('Parley could not start: Failed to fetch dynamically imported module')
    expect(log).not.toContain('app evaluated')
  })
})

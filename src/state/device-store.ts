// Stores per-device display settings (line calibration) in localStorage; no clinical data.
import { create } from 'zustand'
import { createJSONStorage, persist } from 'zustand/middleware'

/** CSS reference: 96 px per inch. Real tablets differ, hence calibration. */
export const CSS_PX_PER_CM = 96 / 2.54
/** ISO/IEC 7810 ID-1 (bank card) width. */
export const CARD_WIDTH_MM = 85.6

interface DeviceState {
  pxPerCm: number
  calibrated: boolean
  setCalibration: (cardWidthPx: number) => void
  resetCalibration: () => void
}

export const useDeviceStore = create<DeviceState>()(
  persist(
    (set) => ({
      pxPerCm: CSS_PX_PER_CM,
      calibrated: false,
      setCalibration: (cardWidthPx) =>
        set({ pxPerCm: cardWidthPx / (CARD_WIDTH_MM / 10), calibrated: true }),
      resetCalibration: () => set({ pxPerCm: CSS_PX_PER_CM, calibrated: false }),
    }),
    {
      name: 'linja.device',
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ pxPerCm: s.pxPerCm, calibrated: s.calibrated }),
    },
  ),
)

// Stores the practitioner's interface language in localStorage (not clinical data).
import { create } from 'zustand'
import { createJSONStorage, persist } from 'zustand/middleware'
import { i18next, isUiLocale, type UiLocale } from '../i18n/index.ts'

interface UiState {
  locale: UiLocale
  online: boolean
  setLocale: (locale: UiLocale) => void
  setOnline: (online: boolean) => void
}

export const useUiStore = create<UiState>()(
  persist(
    (set) => ({
      locale: 'nb',
      online: typeof navigator === 'undefined' ? true : navigator.onLine,
      setLocale: (locale) => {
        set({ locale })
        void i18next.changeLanguage(locale)
        document.documentElement.lang = locale
      },
      setOnline: (online) => set({ online }),
    }),
    {
      name: 'linja.ui',
      storage: createJSONStorage(() => localStorage),
      partialize: (state) => ({ locale: state.locale }),
      merge: (persisted, current) => {
        const locale = (persisted as { locale?: unknown } | undefined)?.locale
        return { ...current, locale: isUiLocale(locale) ? locale : current.locale }
      },
    },
  ),
)

/** Keeps `online` in step with the browser's online/offline events. */
export function watchNetwork(): () => void {
  const update = () => useUiStore.getState().setOnline(navigator.onLine)
  window.addEventListener('online', update)
  window.addEventListener('offline', update)
  return () => {
    window.removeEventListener('online', update)
    window.removeEventListener('offline', update)
  }
}

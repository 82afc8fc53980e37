// Bokmål is the default language; nn.ts and en.ts must have the same keys (the type checks it).
export const nb = {
  app: {
    name: 'Linja',
    tagline: 'Tilbakemeldinger fra klienten, time for time – også uten nett.',
  },
  home: {
    title: 'Velkommen til Linja',
    intro:
      'Her markerer klienten hvordan livet går (ORS) og hvordan timen var (SRS). Alt lagres på nettbrettet med en gang og sendes til serveren når det er nett.',
    language: 'Språk',
  },
  network: { online: 'På nett', offline: 'Uten nett' },
} as const

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> }
export type Messages = Widen<typeof nb>

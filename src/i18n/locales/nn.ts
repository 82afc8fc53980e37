import type { Messages } from './nb.ts'

export const nn: Messages = {
  app: {
    name: 'Linja',
    tagline: 'Tilbakemeldingar frå klienten, time for time – også utan nett.',
  },
  home: {
    title: 'Velkomen til Linja',
    intro:
      'Her markerer klienten korleis livet går (ORS) og korleis timen var (SRS). Alt blir lagra på nettbrettet med ein gong og sendt til serveren når det er nett.',
    language: 'Språk',
  },
  network: { online: 'På nett', offline: 'Utan nett' },
}

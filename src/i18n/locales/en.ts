import type { Messages } from './nb.ts'

export const en: Messages = {
  app: {
    name: 'Linja',
    tagline: 'Client feedback, session by session – with or without a network.',
  },
  home: {
    title: 'Welcome to Linja',
    intro:
      'Here the client marks how life is going (ORS) and how the session went (SRS). Every mark is saved on the tablet at once and sent to the server when there is a network.',
    language: 'Language',
  },
  network: { online: 'Online', offline: 'Offline' },
}

// The words of the messages that carry a remote link, its code or the reminder, in nb, nn and en.
// They name only the organisation, the link or code and the expiry: never the client, their code,
// the form or anything about their health (a message may be read by someone else).

export type MessageKind = 'link' | 'code' | 'reminder'
export type MessageLanguage = 'nb' | 'nn' | 'en'

export interface Message {
  subject: string
  text: string
}

interface Facts {
  organisation: string
  url: string
  code: string
  expiresAt: string
  /** The code comes in a second message (not from the practitioner). */
  codeByMessage: boolean
}

/** nb, nn or en for a link's language; a text pack's language gets the messages in nb. */
export function messageLanguage(locale: string): MessageLanguage {
  const primary = locale.toLowerCase().split('-')[0]
  return primary === 'nn' || primary === 'en' ? primary : 'nb'
}

const TAGS: Record<MessageLanguage, string> = { nb: 'nb-NO', nn: 'nn-NO', en: 'en-GB' }

function when(iso: string, language: MessageLanguage): string {
  return new Intl.DateTimeFormat(TAGS[language], {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Oslo',
  }).format(new Date(iso))
}

const WORDS: Record<MessageLanguage, (f: Facts, until: string) => Record<MessageKind, Message>> = {
  nb: (f, until) => ({
    link: {
      subject: `Skjema fra ${f.organisation}`,
      text: `${f.organisation} ber deg fylle ut et kort skjema.\n\nÅpne lenken: ${f.url}\n\nLenken virker til ${until}. ${f.codeByMessage ? 'Koden du trenger, kommer i en egen melding.' : 'Koden du trenger, får du av den som sendte lenken.'}\n\nVenter du ikke en slik melding, kan du se bort fra den.`,
    },
    code: {
      subject: `Kode til skjema fra ${f.organisation}`,
      text: `Koden til skjemaet fra ${f.organisation}: ${f.code}\n\nDen virker til ${until}.`,
    },
    reminder: {
      subject: `Påminnelse: skjema fra ${f.organisation}`,
      text: `Påminnelse: ${f.organisation} ber deg fylle ut et kort skjema.\n\nÅpne lenken: ${f.url}\n\nLenken virker til ${until}.`,
    },
  }),
  nn: (f, until) => ({
    link: {
      subject: `Skjema frå ${f.organisation}`,
      text: `${f.organisation} ber deg fylle ut eit kort skjema.\n\nOpne lenkja: ${f.url}\n\nLenkja verkar til ${until}. ${f.codeByMessage ? 'Koden du treng, kjem i ei eiga melding.' : 'Koden du treng, får du av den som sende lenkja.'}\n\nVentar du ikkje ei slik melding, kan du sjå bort frå ho.`,
    },
    code: {
      subject: `Kode til skjema frå ${f.organisation}`,
      text: `Koden til skjemaet frå ${f.organisation}: ${f.code}\n\nHan verkar til ${until}.`,
    },
    reminder: {
      subject: `Påminning: skjema frå ${f.organisation}`,
      text: `Påminning: ${f.organisation} ber deg fylle ut eit kort skjema.\n\nOpne lenkja: ${f.url}\n\nLenkja verkar til ${until}.`,
    },
  }),
  en: (f, until) => ({
    link: {
      subject: `A form from ${f.organisation}`,
      text: `${f.organisation} asks you to fill in a short form.\n\nOpen the link: ${f.url}\n\nThe link works until ${until}. ${f.codeByMessage ? 'The code you need comes in a separate message.' : 'The person who sent the link gives you the code you need.'}\n\nIf you did not expect this message, you can ignore it.`,
    },
    code: {
      subject: `Code for the form from ${f.organisation}`,
      text: `The code for the form from ${f.organisation}: ${f.code}\n\nIt works until ${until}.`,
    },
    reminder: {
      subject: `Reminder: a form from ${f.organisation}`,
      text: `Reminder: ${f.organisation} asks you to fill in a short form.\n\nOpen the link: ${f.url}\n\nThe link works until ${until}.`,
    },
  }),
}

export function composeMessage(kind: MessageKind, locale: string, facts: Facts): Message {
  const language = messageLanguage(locale)
  return WORDS[language](facts, when(facts.expiresAt, language))[kind]
}

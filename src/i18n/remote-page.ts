// The remote page's own words (src/r/), in nb, nn and en. Kept apart from the app's locale files
// so the page loads a few hundred words instead of the practitioner app's thousands. The form's
// wording (title, instructions, items, anchors) comes from the server with the form.

export const REMOTE_LOCALES = ['nb', 'nn', 'en'] as const
export type RemoteLocale = (typeof REMOTE_LOCALES)[number]

const nb = {
  pageTitle: 'Skjema fra {org}',
  pageTitleNoOrg: 'Skjema',
  language: 'Språk',
  loading: 'Henter skjemaet …',
  codeTitle: 'Skriv inn koden',
  codeIntro: 'Du har fått en kode på 6 siffer fra den som sendte deg lenken.',
  codeLabel: 'Kode (6 siffer)',
  codeFormat: 'Koden er 6 siffer.',
  codeWrong: 'Koden stemmer ikke. Du har {n} forsøk igjen.',
  codeWrongOne: 'Koden stemmer ikke. Du har 1 forsøk igjen.',
  open: 'Åpne skjemaet',
  opening: 'Åpner …',
  shortTitle: 'Åpne skjemaet ditt',
  shortIntro:
    'Skriv inn skjemakoden (10 tegn) og koden på 6 siffer som du har fått av den som ba deg fylle ut skjemaet.',
  shortLabel: 'Skjemakode (10 tegn)',
  shortFormat: 'Skjemakoden er 10 bokstaver og tall, for eksempel ABCDE-12345.',
  shortUnknown: 'Vi finner ikke et skjema med denne skjemakoden. Sjekk den og prøv igjen.',
  expires: 'Lenken virker til {date}.',
  outcomeHeading: 'Hvordan går det?',
  sessionHeading: 'Hvordan var timen?',
  instructions:
    'Sett et merke på hver linje. Jo lenger til venstre, jo dårligere – jo lenger til høyre, jo bedre. Du kan flytte merket.',
  instructionsFaces: 'Velg det ansiktet som passer best.',
  unmarked: 'Ikke markert',
  valueText: 'Markert',
  lineHelp:
    'Trykk på linjen der det passer for deg, eller dra merket. Med tastatur: piltastene flytter merket.',
  faceVerySad: 'Veldig lei meg',
  faceSad: 'Lei meg',
  faceNeutral: 'Midt imellom',
  faceHappy: 'Glad',
  faceVeryHappy: 'Veldig glad',
  done: 'Ferdig',
  sending: 'Sender …',
  markAll: 'Marker alle linjene først. {n} igjen.',
  markAllOne: 'Marker alle linjene først. 1 igjen.',
  sendFailed:
    'Svarene ble ikke sendt: vi fikk ikke kontakt. Merkene dine er tatt vare på her. Prøv igjen.',
  sendInvalid: 'Svarene ble ikke godtatt. Se over linjene og prøv igjen.',
  tooMany: 'For mange forsøk på kort tid. Vent et minutt og prøv igjen.',
  network: 'Vi fikk ikke kontakt. Sjekk nettet og prøv igjen.',
  tryAgain: 'Prøv igjen',
  thanksTitle: 'Takk!',
  thanksText: 'Svarene dine er sendt. Du kan lukke denne siden.',
  expiredTitle: 'Lenken er utløpt',
  expiredText: 'Skjemaet kan ikke fylles ut lenger. Be om en ny lenke hvis du vil svare.',
  usedTitle: 'Skjemaet er allerede sendt',
  usedText: 'Denne lenken er brukt, og kan bare brukes én gang.',
  revokedTitle: 'Lenken er trukket tilbake',
  revokedText: 'Den som sendte lenken, har trukket den tilbake. Skjemaet kan ikke fylles ut.',
  lockedTitle: 'Lenken er stengt',
  lockedText:
    'Koden ble skrevet feil for mange ganger, så lenken er stengt. Be om en ny lenke hvis du vil svare.',
  unknownTitle: 'Vi finner ikke skjemaet',
  unknownText:
    'Lenken er ikke hel, eller den finnes ikke. Sjekk at du har hele lenken fra meldingen.',
} as const

export type RemoteTexts = { readonly [K in keyof typeof nb]: string }

const nn: RemoteTexts = {
  pageTitle: 'Skjema frå {org}',
  pageTitleNoOrg: 'Skjema',
  language: 'Språk',
  loading: 'Hentar skjemaet …',
  codeTitle: 'Skriv inn koden',
  codeIntro: 'Du har fått ein kode på 6 siffer frå den som sende deg lenkja.',
  codeLabel: 'Kode (6 siffer)',
  codeFormat: 'Koden er 6 siffer.',
  codeWrong: 'Koden stemmer ikkje. Du har {n} forsøk att.',
  codeWrongOne: 'Koden stemmer ikkje. Du har 1 forsøk att.',
  open: 'Opne skjemaet',
  opening: 'Opnar …',
  shortTitle: 'Opne skjemaet ditt',
  shortIntro:
    'Skriv inn skjemakoden (10 teikn) og koden på 6 siffer som du har fått av den som bad deg fylle ut skjemaet.',
  shortLabel: 'Skjemakode (10 teikn)',
  shortFormat: 'Skjemakoden er 10 bokstavar og tal, til dømes ABCDE-12345.',
  shortUnknown: 'Vi finn ikkje eit skjema med denne skjemakoden. Sjekk han og prøv igjen.',
  expires: 'Lenkja verkar til {date}.',
  outcomeHeading: 'Korleis går det?',
  sessionHeading: 'Korleis var timen?',
  instructions:
    'Set eit merke på kvar linje. Jo lenger til venstre, jo dårlegare – jo lenger til høgre, jo betre. Du kan flytte merket.',
  instructionsFaces: 'Vel det andletet som passar best.',
  unmarked: 'Ikkje markert',
  valueText: 'Markert',
  lineHelp:
    'Trykk på linja der det passar for deg, eller dra merket. Med tastatur: piltastane flyttar merket.',
  faceVerySad: 'Veldig lei meg',
  faceSad: 'Lei meg',
  faceNeutral: 'Midt imellom',
  faceHappy: 'Glad',
  faceVeryHappy: 'Veldig glad',
  done: 'Ferdig',
  sending: 'Sender …',
  markAll: 'Marker alle linjene først. {n} att.',
  markAllOne: 'Marker alle linjene først. 1 att.',
  sendFailed:
    'Svara vart ikkje sende: vi fekk ikkje kontakt. Merka dine er tekne vare på her. Prøv igjen.',
  sendInvalid: 'Svara vart ikkje godtekne. Sjå over linjene og prøv igjen.',
  tooMany: 'For mange forsøk på kort tid. Vent eitt minutt og prøv igjen.',
  network: 'Vi fekk ikkje kontakt. Sjekk nettet og prøv igjen.',
  tryAgain: 'Prøv igjen',
  thanksTitle: 'Takk!',
  thanksText: 'Svara dine er sende. Du kan lukke denne sida.',
  expiredTitle: 'Lenkja har gått ut',
  expiredText: 'Skjemaet kan ikkje fyllast ut lenger. Be om ei ny lenkje om du vil svare.',
  usedTitle: 'Skjemaet er alt sendt',
  usedText: 'Denne lenkja er brukt, og kan berre brukast éin gong.',
  revokedTitle: 'Lenkja er trekt tilbake',
  revokedText: 'Den som sende lenkja, har trekt ho tilbake. Skjemaet kan ikkje fyllast ut.',
  lockedTitle: 'Lenkja er stengd',
  lockedText:
    'Koden vart skriven feil for mange gonger, så lenkja er stengd. Be om ei ny lenkje om du vil svare.',
  unknownTitle: 'Vi finn ikkje skjemaet',
  unknownText:
    'Lenkja er ikkje heil, eller ho finst ikkje. Sjekk at du har heile lenkja frå meldinga.',
}

const en: RemoteTexts = {
  pageTitle: 'Form from {org}',
  pageTitleNoOrg: 'Form',
  language: 'Language',
  loading: 'Fetching the form …',
  codeTitle: 'Enter the code',
  codeIntro: 'You have been given a 6-digit code by the person who sent you the link.',
  codeLabel: 'Code (6 digits)',
  codeFormat: 'The code is 6 digits.',
  codeWrong: 'That code is not right. You have {n} tries left.',
  codeWrongOne: 'That code is not right. You have 1 try left.',
  open: 'Open the form',
  opening: 'Opening …',
  shortTitle: 'Open your form',
  shortIntro:
    'Enter the form code (10 characters) and the 6-digit code you were given by the person who asked you to fill in the form.',
  shortLabel: 'Form code (10 characters)',
  shortFormat: 'The form code is 10 letters and digits, for example ABCDE-12345.',
  shortUnknown: 'We cannot find a form with this form code. Check it and try again.',
  expires: 'The link works until {date}.',
  outcomeHeading: 'How are things going?',
  sessionHeading: 'How was the session?',
  instructions:
    'Put a mark on each line. Further left means worse, further right means better. You can move the mark.',
  instructionsFaces: 'Choose the face that fits best.',
  unmarked: 'Not marked',
  valueText: 'Marked',
  lineHelp:
    'Tap the line where it fits for you, or drag the mark. With a keyboard: the arrow keys move the mark.',
  faceVerySad: 'Very sad',
  faceSad: 'Sad',
  faceNeutral: 'In between',
  faceHappy: 'Happy',
  faceVeryHappy: 'Very happy',
  done: 'Done',
  sending: 'Sending …',
  markAll: 'Mark every line first. {n} left.',
  markAllOne: 'Mark every line first. 1 left.',
  sendFailed:
    'Your answers were not sent: we could not connect. Your marks are kept here. Try again.',
  sendInvalid: 'Your answers were not accepted. Check the lines and try again.',
  tooMany: 'Too many tries in a short time. Wait a minute and try again.',
  network: 'We could not connect. Check your connection and try again.',
  tryAgain: 'Try again',
  thanksTitle: 'Thank you!',
  thanksText: 'Your answers have been sent. You can close this page.',
  expiredTitle: 'The link has expired',
  expiredText: 'The form can no longer be filled in. Ask for a new link if you want to answer.',
  usedTitle: 'The form has already been sent',
  usedText: 'This link has been used, and works only once.',
  revokedTitle: 'The link has been withdrawn',
  revokedText: 'The person who sent the link has withdrawn it. The form cannot be filled in.',
  lockedTitle: 'The link is closed',
  lockedText:
    'The code was entered wrongly too many times, so the link is closed. Ask for a new link if you want to answer.',
  unknownTitle: 'We cannot find the form',
  unknownText:
    'The link is incomplete, or it does not exist. Check that you have the whole link from the message.',
}

export const REMOTE_TEXTS: Record<RemoteLocale, RemoteTexts> = { nb, nn, en }

/** The names of the languages, each in itself (the switch shows them so). */
export const LOCALE_NAMES: Record<RemoteLocale, string> = {
  nb: 'Bokmål',
  nn: 'Nynorsk',
  en: 'English',
}

export function isRemoteLocale(value: unknown): value is RemoteLocale {
  return typeof value === 'string' && (REMOTE_LOCALES as readonly string[]).includes(value)
}

/** A text with its {placeholders} filled in. */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in values ? String(values[key]) : whole,
  )
}

// The access log (innsynslogg) as the app and the server both speak it: its shape, its words in
// nb/nn/en, and the CSV a practitioner or the administrator hands to the client.
//
// The CSV is for a person to read, not for a system: headers and values are words in the chosen
// language, times are Norwegian time (Europe/Oslo). Separator ';' with a byte-order mark for nb/nn
// (Norwegian Excel), ',' for en; RFC 4180 quoting and the formula guard through csvText.
import { type Static, Type } from 'typebox'
import { csvText } from './csv-cell.ts'
import { ROLES, type Role } from './sync-protocol.ts'
import type { Locale } from './types.ts'

/** How a person was given the client's records. Aggregated reports are not client access. */
export const ACCESS_CHANNELS = [
  /** Records synced to a device (a page of a pull). */
  'pull',
  /** The client's status and colour in a supervisor's list of supervisees' clients. */
  'supervision_overview',
  /** The client's forms opened read-only by a supervisor. */
  'supervision_view',
  /** This log produced for the client. */
  'access_log',
] as const
export type AccessChannel = (typeof ACCESS_CHANNELS)[number]

/** Why the person could see the client. */
export const ACCESS_RELATIONS = ['own', 'supervisee', 'unit_leader', 'admin'] as const
export type AccessRelation = (typeof ACCESS_RELATIONS)[number]

export const AccessLogEntry = Type.Object(
  {
    at: Type.String(),
    personId: Type.String(),
    /** The display name when it happened. */
    personName: Type.String(),
    role: Type.Enum(ROLES),
    relation: Type.Enum(ACCESS_RELATIONS),
    channel: Type.Enum(ACCESS_CHANNELS),
    deviceSessionId: Type.Union([Type.String(), Type.Null()]),
    /** The tablet's name when it happened. */
    deviceName: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
)
export type AccessLogEntry = Static<typeof AccessLogEntry>

export const AccessLog = Type.Object(
  {
    clientId: Type.String(),
    /** The client's pseudonymous code, so the page can be handed to the right person. */
    code: Type.String(),
    producedAt: Type.String(),
    /** Entries older than this many years are deleted (organisation setting). */
    retentionYears: Type.Integer(),
    /** Newest first. */
    entries: Type.Array(AccessLogEntry),
  },
  { additionalProperties: false },
)
export type AccessLog = Static<typeof AccessLog>

interface Words {
  columns: {
    at: string
    person: string
    role: string
    relation: string
    channel: string
    device: string
  }
  role: Record<Role, string>
  relation: Record<AccessRelation, string>
  channel: Record<AccessChannel, string>
}

/** The log's own words; the screen around it takes its words from src/i18n. */
export const ACCESS_LOG_WORDS: Readonly<Record<Locale, Words>> = {
  nb: {
    columns: {
      at: 'Tidspunkt (norsk tid)',
      person: 'Person',
      role: 'Rolle',
      relation: 'Tilgang fordi',
      channel: 'Hva som skjedde',
      device: 'Nettbrett',
    },
    role: {
      practitioner: 'Behandler',
      supervisor: 'Veileder',
      leader: 'Enhetsleder',
      admin: 'Administrator',
    },
    relation: {
      own: 'Egen klient',
      supervisee: 'Veileder for klientens behandler',
      unit_leader: 'Leder for enheten',
      admin: 'Administrator',
    },
    channel: {
      pull: 'Opplysninger hentet til nettbrett',
      supervision_overview: 'Status vist i veiledningsoversikten',
      supervision_view: 'Skjemaer åpnet i veiledning',
      access_log: 'Innsynslogg laget',
    },
  },
  nn: {
    columns: {
      at: 'Tidspunkt (norsk tid)',
      person: 'Person',
      role: 'Rolle',
      relation: 'Tilgang fordi',
      channel: 'Kva som skjedde',
      device: 'Nettbrett',
    },
    role: {
      practitioner: 'Behandlar',
      supervisor: 'Rettleiar',
      leader: 'Einingsleiar',
      admin: 'Administrator',
    },
    relation: {
      own: 'Eigen klient',
      supervisee: 'Rettleiar for behandlaren til klienten',
      unit_leader: 'Leiar for eininga',
      admin: 'Administrator',
    },
    channel: {
      pull: 'Opplysningar henta til nettbrett',
      supervision_overview: 'Status vist i rettleiingsoversikta',
      supervision_view: 'Skjema opna i rettleiing',
      access_log: 'Innsynslogg laga',
    },
  },
  en: {
    columns: {
      at: 'Time (Norwegian time)',
      person: 'Person',
      role: 'Role',
      relation: 'Access because',
      channel: 'What happened',
      device: 'Tablet',
    },
    role: {
      practitioner: 'Practitioner',
      supervisor: 'Supervisor',
      leader: 'Unit leader',
      admin: 'Administrator',
    },
    relation: {
      own: 'Own client',
      supervisee: 'Supervisor of the client’s practitioner',
      unit_leader: 'Leader of the unit',
      admin: 'Administrator',
    },
    channel: {
      pull: 'Records synced to a tablet',
      supervision_overview: 'Status shown in the supervision overview',
      supervision_view: 'Forms opened in supervision',
      access_log: 'Access log produced',
    },
  },
}

const OSLO = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
})

/** "2026-11-28 10:15": the Swedish locale writes ISO order; the zone is Norway's, whatever the server's. */
export function osloTime(iso: string): string {
  return OSLO.format(new Date(iso))
}

/** One entry as the words of one line, in the columns' order. */
export function accessLogLine(entry: AccessLogEntry, locale: Locale): string[] {
  const w = ACCESS_LOG_WORDS[locale]
  return [
    osloTime(entry.at),
    entry.personName,
    w.role[entry.role],
    w.relation[entry.relation],
    w.channel[entry.channel],
    entry.deviceName ?? '',
  ]
}

export function accessLogCsv(entries: readonly AccessLogEntry[], locale: Locale): string {
  const norwegian = locale !== 'en'
  const separator = norwegian ? ';' : ','
  const c = ACCESS_LOG_WORDS[locale].columns
  const line = (fields: readonly string[]) =>
    `${fields.map((f) => csvText(f, separator)).join(separator)}\r\n`
  let out = norwegian ? '\uFEFF' : ''
  out += line([c.at, c.person, c.role, c.relation, c.channel, c.device])
  for (const entry of entries) out += line(accessLogLine(entry, locale))
  return out
}

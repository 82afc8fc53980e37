// Builds export files (CSV, FHIR R4 bundle) from the device database; nothing leaves the device
// until the practitioner saves the file.
import {
  administrationsToCsv,
  bundleFor,
  type ExportRow,
  type InstrumentId,
  type Locale,
} from '../core/index.ts'
import {
  type Administration,
  type Client,
  type Episode,
  listAllAdministrations,
  listAllEpisodes,
  listClients,
  toCoreAdministration,
} from '../storage/index.ts'
import { database } from './database.ts'

function toRow(a: Administration, client: Client, episode: Episode | undefined): ExportRow | null {
  // Drafts and incomplete forms are not exported; the core's view of the form is the base.
  const core = toCoreAdministration(a)
  if (!core) return null
  return {
    ...core,
    instrumentVersion: a.instrumentVersion,
    collectedBy: a.collectedBy,
    versionOf: a.versionOf,
    supersedes: a.supersedes,
    voidReason: a.voided?.reason ?? null,
    client: { code: client.code, birthYear: client.birthYear, ageGroup: client.ageGroup },
    episode: {
      id: a.episodeId,
      startedAt: episode?.startedAt ?? a.markedAt,
      endedAt: episode?.endedAt ?? null,
      ending: episode?.ending ?? null,
    },
  }
}

export async function exportRows(clientIds?: readonly string[]): Promise<ExportRow[]> {
  const db = database()
  const [clients, episodes, records] = await Promise.all([
    listClients(db),
    listAllEpisodes(db),
    listAllAdministrations(db, { includeSuperseded: true, includeVoided: true }),
  ])
  const clientById = new Map(clients.map((c) => [c.id, c]))
  const episodeById = new Map(episodes.map((e) => [e.id, e]))
  return records
    .filter((a) => !clientIds || clientIds.includes(a.clientId))
    .flatMap((a) => {
      const client = clientById.get(a.clientId)
      return client ? (toRow(a, client, episodeById.get(a.episodeId)) ?? []) : []
    })
    .sort((x, y) => (x.markedAt < y.markedAt ? -1 : 1))
}

export async function exportCsv(locale: Locale, clientIds?: readonly string[]): Promise<string> {
  return administrationsToCsv(await exportRows(clientIds), { locale, bom: true })
}

export async function exportFhir(clientIds?: readonly string[]): Promise<string> {
  const rows = await exportRows(clientIds)
  const instruments = [...new Set(rows.map((r) => r.instrumentId))] as InstrumentId[]
  return JSON.stringify(bundleFor(rows, instruments), null, 2)
}

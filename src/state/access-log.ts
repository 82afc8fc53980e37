// The innsynslogg of one client, fetched from the server when it is produced (needs a connection; never kept on the device).
import type { AccessLog } from '../core/access-log.ts'
import type { Locale } from '../core/types.ts'
import { apiJson, apiText } from './online-api.ts'

export type { AccessLog, AccessLogEntry } from '../core/access-log.ts'

export interface FoundClient {
  clientId: string
  code: string
  practitioners: string[]
}

export function fetchAccessLog(clientId: string): Promise<AccessLog> {
  return apiJson<AccessLog>(`/api/clients/${encodeURIComponent(clientId)}/access-log`)
}

export async function fetchAccessLogCsv(clientId: string, locale: Locale): Promise<string> {
  const text = await apiText(
    `/api/clients/${encodeURIComponent(clientId)}/access-log.csv?lang=${locale}`,
  )
  // Reading the answer as text drops the server's byte-order mark, which Excel needs for æøå.
  return locale === 'en' || text.startsWith('\uFEFF') ? text : `\uFEFF${text}`
}

/** The administrator's search; the code goes in the body, never in an address a log keeps. */
export async function findClientsByCode(code: string): Promise<FoundClient[]> {
  const answer = await apiJson<{ clients: FoundClient[] }>('/api/admin/access-log/find', {
    method: 'POST',
    body: { code },
  })
  return answer.clients
}

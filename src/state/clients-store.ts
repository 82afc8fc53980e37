// The practitioner's view of clients and their records, read from the device database.
import { create } from 'zustand'
import type { AgeGroup, InstrumentId, Locale, Rater } from '../core/index.ts'
import {
  type Administration,
  type Client,
  createClient,
  listClients,
  listForClient,
  recordTyped,
} from '../storage/index.ts'
import { database } from './database.ts'

interface ClientsState {
  clients: Client[]
  loaded: boolean
  refresh: () => Promise<void>
  create: (input: {
    code: string
    birthYear: number | null
    ageGroup?: AgeGroup
  }) => Promise<Client>
}

export const useClientsStore = create<ClientsState>()((set) => ({
  clients: [],
  loaded: false,
  refresh: async () => {
    const clients = await listClients(database())
    set({ clients, loaded: true })
  },
  create: async (input) => {
    const client = await createClient(database(), {
      code: input.code,
      birthYear: input.birthYear,
      ...(input.ageGroup ? { ageGroup: input.ageGroup } : {}),
    })
    set({ clients: await listClients(database()) })
    return client
  },
}))

export async function administrationsFor(clientId: string): Promise<Administration[]> {
  return listForClient(database(), clientId)
}

export async function saveTypedScores(input: {
  clientId: string
  instrumentId: InstrumentId
  items: Record<string, number>
  rater: Rater
  collectedBy: 'paper' | 'phone'
  markedAt: string
  locale: Locale
}): Promise<Administration> {
  return recordTyped(database(), input)
}

// Builders for outbox operations shaped like the device's (src/storage/records.ts).
import { randomUUID } from 'node:crypto'
import { finalForm } from '../../../src/core/record-builders.ts'
import type { PushOperation } from '../../../src/core/sync-protocol.ts'

/** An operation as a test sends it: any payload, so tests can send what a device must not. */
export type TestOperation = Omit<PushOperation, 'entity' | 'payload'> & {
  entity: PushOperation['entity']
  payload: Record<string, unknown>
}

const AT = '2026-11-20T10:00:00.000Z'

export class Device {
  seq = 0
  /** S21: the secret the tablet made with its id; undefined acts as an app from before S21. */
  deviceKey: string | undefined
  constructor(
    public readonly deviceId: string = randomUUID(),
    public readonly createdAt: string = new Date().toISOString(),
  ) {}

  /** The same tablet's id and key (another practitioner on it), with its own seq counter. */
  withKey(deviceKey: string | undefined): this {
    this.deviceKey = deviceKey
    return this
  }

  op(
    entity: PushOperation['entity'],
    op: PushOperation['op'],
    payload: Record<string, unknown>,
    baseVersion?: string,
  ): TestOperation {
    this.seq += 1
    const entry: TestOperation = {
      seq: this.seq,
      opId: randomUUID(),
      deviceId: this.deviceId,
      entity,
      entityId: String(payload.id),
      op,
      payload,
      createdAt: this.createdAt,
    }
    if (baseVersion !== undefined) entry.baseVersion = baseVersion
    return entry
  }

  body(operations: readonly unknown[], extra: Record<string, unknown> = {}) {
    const key = this.deviceKey === undefined ? {} : { deviceKey: this.deviceKey }
    return { protocolVersion: 1, deviceId: this.deviceId, ...key, operations, ...extra }
  }
}

export function clientPayload(practitionerIds: string[], code = 'K-1') {
  return {
    id: randomUUID(),
    code,
    codeSearch: code.toLowerCase(),
    birthYear: 1990,
    ageGroup: 'adult',
    unitId: null,
    practitionerIds,
    archivedAt: null,
    createdAt: AT,
    updatedAt: AT,
  }
}

export function episodePayload(clientId: string) {
  return {
    id: randomUUID(),
    clientId,
    startedAt: AT,
    endedAt: null,
    ending: null,
    endStatus: null,
    updatedAt: AT,
  }
}

export const ORS_ITEMS = {
  'ors.individually': 4.2,
  'ors.interpersonally': 5,
  'ors.socially': 3.3,
  'ors.overall': 6.1,
} as const

export function orsPayload(
  clientId: string,
  episodeId: string,
  items: Record<string, number | null> = { ...ORS_ITEMS },
  extra: Record<string, unknown> = {},
) {
  const values = Object.values(items).filter((v): v is number => typeof v === 'number')
  const total = Math.round(values.reduce((a, b) => a + b, 0) * 10) / 10
  return {
    ...finalForm({
      id: randomUUID(),
      clientId,
      episodeId,
      instrumentId: 'ORS',
      instrumentVersion: '1',
      items,
      total,
      rater: 'client',
      collectedBy: 'tablet',
      session: 1,
      markedAt: AT,
      locale: 'nb',
    }),
    ...extra,
  }
}

/** Client + episode + one ORS for `owner`, as three operations of `device`. */
export function caseOps(device: Device, owner: string, code = 'K-1') {
  const client = clientPayload([owner], code)
  const episode = episodePayload(client.id)
  const ors = orsPayload(client.id, episode.id)
  return {
    client,
    episode,
    ors,
    ops: [
      device.op('client', 'create', client),
      device.op('episode', 'create', episode),
      device.op('administration', 'create', ors),
    ] as [TestOperation, TestOperation, TestOperation],
  }
}

// What a tablet shows when the server refuses a change (S20) or its device id (S21), in the person's words.
import { afterEach, describe, expect, it } from 'vitest'
import { initI18n } from '../../src/i18n/index.ts'
import { countPending, createClient, getDeviceId } from '../../src/storage/index.ts'
import { refusalText, syncErrorText } from '../../src/ui/account/sync-words.ts'
import { addDevice, addPractitioner, type SyncWorld, syncWorld } from './support/world.ts'

describe('refusals a tablet shows', () => {
  let world: SyncWorld | undefined
  afterEach(async () => {
    await world?.close()
    world = undefined
  })

  it('S20: a client put into a unit that is not the practitioner’s is refused, listed with its reason in nb, nn and en', async () => {
    world = await syncWorld()
    const tablet = await addDevice(world, await addPractitioner(world))
    await createClient(tablet.db, { code: 'UNIT-1', ageGroup: 'adult', unitId: 'someone-elses' })
    const status = await tablet.engine.syncNow('manual')
    expect(status.conflicts.map((c) => [c.status, c.entity, c.reason])).toEqual([
      ['rejected', 'client', 'unit_not_allowed'],
    ])
    const i18n = await initI18n('nb')
    const words: Record<string, string | null> = {}
    for (const locale of ['nb', 'nn', 'en'] as const) {
      await i18n.changeLanguage(locale)
      words[locale] = refusalText('unit_not_allowed', i18n.t)
    }
    expect(words).toEqual({
      nb: 'Enheten finnes ikke eller er ikke en av dine enheter, så serveren lagret ikke denne endringen.',
      nn: 'Eininga finst ikkje eller er ikkje ei av einingane dine, så serveren lagra ikkje denne endringa.',
      en: "The client's unit does not exist or is not one of your units, so the server did not store this change.",
    })
  })

  it('S21: a tablet naming another tablet’s device id is told in words, keeps its changes and tries again; the owner syncs on', async () => {
    world = await syncWorld()
    const owner = await addDevice(world, await addPractitioner(world))
    await createClient(owner.db, { code: 'OWN-1', ageGroup: 'adult' })
    expect((await owner.engine.syncNow('manual')).lastError).toBeNull()

    // Another practitioner's tablet that carries the owner's device id (and not its key).
    const intruder = await addDevice(world, await addPractitioner(world, 'ola'))
    await intruder.db.meta.put({ key: 'deviceId', value: await getDeviceId(owner.db) })
    await createClient(intruder.db, { code: 'INTRUDER-1', ageGroup: 'adult' })
    const refused = await intruder.engine.syncNow('manual')
    expect(refused.state).toBe('error')
    expect(refused.lastError?.code).toBe('device_not_yours')
    expect(await countPending(intruder.db)).toBe(1)
    expect(intruder.retries.length).toBeGreaterThan(0)
    const i18n = await initI18n('en')
    expect(syncErrorText(refused.lastError?.code, i18n.t)).toMatch(
      /registered to another tablet\. Nothing is lost/,
    )

    await createClient(owner.db, { code: 'OWN-2', ageGroup: 'adult' })
    const again = await owner.engine.syncNow('manual')
    expect(again.lastError).toBeNull()
    expect(await countPending(owner.db)).toBe(0)
  })
})

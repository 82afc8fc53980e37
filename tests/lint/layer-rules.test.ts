// The layer rules in biome.json fire: Biome, with the project's own configuration, lints probe
// files placed in each layer of a scratch copy of the tree, and each forbidden import is refused.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')

const UI_RULE = 'The UI imports only src/state, src/core, src/i18n and src/ui'
const LOWER_RULE = 'Lower layers never import the UI.'
const SERVER_RULE = 'The server shares only src/core with the app.'
const CORE_RULE = 'src/core imports nothing from the other layers.'

interface Probe {
  /** Where the importing file sits, as if in the repository. */
  file: string
  /** What it imports. */
  from: string
  /** The start of the message Biome must give, or null when the import is allowed. */
  refused: string | null
}

const PROBES: Probe[] = [
  { file: 'src/ui/clients/Probe.tsx', from: '../../storage/index.ts', refused: UI_RULE },
  { file: 'src/ui/account/probe.ts', from: '../../sync/index.ts', refused: UI_RULE },
  { file: 'src/ui/probe-records.ts', from: '../storage/records.ts', refused: UI_RULE },
  { file: 'src/ui/probe-server.ts', from: '../../sync-server/src/app.ts', refused: UI_RULE },
  { file: 'src/ui/ok/state.ts', from: '../../state/sync-store.ts', refused: null },
  { file: 'src/ui/ok/core.ts', from: '../../core/index.ts', refused: null },
  { file: 'src/ui/ok/i18n.ts', from: '../../i18n/index.ts', refused: null },
  { file: 'src/ui/ok/ui.ts', from: '../shared/storage-error.ts', refused: null },
  { file: 'src/state/probe.ts', from: '../ui/App.tsx', refused: LOWER_RULE },
  { file: 'src/state/ok/storage.ts', from: '../../storage/index.ts', refused: null },
  { file: 'src/storage/probe.ts', from: '../ui/App.tsx', refused: LOWER_RULE },
  { file: 'src/sync/probe.ts', from: '../ui/App.tsx', refused: LOWER_RULE },
  { file: 'src/core/probe.ts', from: '../state/sync-store.ts', refused: CORE_RULE },
  { file: 'sync-server/src/probe.ts', from: '../../src/storage/index.ts', refused: SERVER_RULE },
  { file: 'sync-server/src/a/probe.ts', from: '../../../src/state/x.ts', refused: SERVER_RULE },
  { file: 'sync-server/src/b/probe.ts', from: '../../../src/sync/index.ts', refused: SERVER_RULE },
  { file: 'sync-server/src/c/probe.ts', from: '../../../src/ui/App.tsx', refused: SERVER_RULE },
  { file: 'sync-server/src/d/probe.ts', from: '../../../src/i18n/index.ts', refused: SERVER_RULE },
  { file: 'sync-server/src/ok/core.ts', from: '../../../src/core/index.ts', refused: null },
  // The server's own sync folder is not the app's.
  { file: 'sync-server/src/ok/own-sync.ts', from: '../sync/payloads.ts', refused: null },
]

let scratch = ''
/** Messages Biome gave, by probe file. */
const messages = new Map<string, string[]>()

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'linja-layers-'))
  const config = JSON.parse(readFileSync(join(root, 'biome.json'), 'utf8')) as Record<
    string,
    unknown
  >
  // The scratch tree is no git checkout and has no node_modules for the schema: the rules stay as they are.
  delete config.$schema
  config.vcs = { enabled: false }
  writeFileSync(join(scratch, 'biome.json'), JSON.stringify(config))
  for (const probe of PROBES) {
    const path = join(scratch, probe.file)
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, `import { probe } from '${probe.from}'\n\nexport const used = probe\n`)
  }
  const run = spawnSync(
    join(root, 'node_modules/.bin/biome'),
    ['lint', '--reporter=github', '--max-diagnostics=none', '.'],
    { cwd: scratch, encoding: 'utf8' },
  )
  for (const line of run.stdout.split('\n')) {
    const match = /^::error title=lint\/style\/noRestrictedImports,file=([^,]+),[^:]*::(.*)$/.exec(
      line,
    )
    if (!match?.[1] || match[2] === undefined) continue
    const file = relative(scratch, match[1])
    messages.set(file, [...(messages.get(file) ?? []), match[2]])
  }
}, 30_000)

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true })
})

describe('layer rules in biome.json', () => {
  it.each(PROBES.filter((p) => p.refused !== null))(
    'refuses $file importing $from',
    ({ file, refused }) => {
      expect(messages.get(file) ?? []).toEqual([expect.stringContaining(refused ?? '')])
    },
  )

  it.each(PROBES.filter((p) => p.refused === null))('lets $file import $from', ({ file }) => {
    expect(messages.get(file) ?? []).toEqual([])
  })
})

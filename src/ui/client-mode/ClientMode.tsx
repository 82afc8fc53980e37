import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { getInstrument, resolveTexts, textDirection } from '../../core/index.ts'
import { intlLocale } from '../../i18n/index.ts'
import { useClientModeStore } from '../../state/client-mode-store.ts'
import { useDeviceStore } from '../../state/device-store.ts'
import { useTextPackStore } from '../../state/text-pack-store.ts'
import { FaceChoice } from './FaceChoice.tsx'
import { PinDialog } from './PinDialog.tsx'
import { VasLine } from './VasLine.tsx'

/** Keeps browser back (and Android's back button) inside client mode. */
function useBackTrap(): void {
  useEffect(() => {
    history.pushState({ clientMode: true }, '')
    const onPop = () => history.pushState({ clientMode: true }, '')
    window.addEventListener('popstate', onPop)
    return () => window.removeEventListener('popstate', onPop)
  }, [])
}

/**
 * The client always starts at the top of the form (heading and instructions first), wherever the
 * practitioner had scrolled their page; again for the thanks and for the next group member.
 */
function useStartAtTop(screen: string): void {
  useLayoutEffect(() => {
    if (screen) window.scrollTo(0, 0)
  }, [screen])
}

function useAvailableWidth(): number {
  const [width, setWidth] = useState(() => window.innerWidth)
  useEffect(() => {
    const onResize = () => setWidth(window.innerWidth)
    window.addEventListener('resize', onResize)
    return () => window.removeEventListener('resize', onResize)
  }, [])
  return width
}

export function ClientMode({ onExit }: { onExit: () => void }) {
  const pointer = useClientModeStore((s) => s.pointer)
  const draft = useClientModeStore((s) => s.draft)
  const saveProblem = useClientModeStore((s) => s.saveProblem)
  const mark = useClientModeStore((s) => s.mark)
  const done = useClientModeStore((s) => s.done)
  const nextMember = useClientModeStore((s) => s.nextMember)
  const exit = useClientModeStore((s) => s.exit)
  const pxPerCm = useDeviceStore((s) => s.pxPerCm)
  const pack = useTextPackStore((s) => s.pack)
  const { i18n } = useTranslation()
  const [pinOpen, setPinOpen] = useState(false)
  const available = useAvailableWidth()
  const thanksRef = useRef<HTMLHeadingElement>(null)
  useBackTrap()
  const phase = pointer?.phase
  useStartAtTop(`${phase}-${pointer?.member ?? ''}`)
  // After "Ferdig" the form is gone: focus goes to the thanks, so a screen reader says it.
  useEffect(() => {
    if (phase === 'thanks') thanksRef.current?.focus()
  }, [phase])

  const clientLocale = pointer?.clientLocale ?? 'nb'
  // The client may read another language than the practitioner.
  const t = useMemo(() => i18n.getFixedT(clientLocale), [i18n, clientLocale])
  const numberFormat = useMemo(
    () =>
      new Intl.NumberFormat(intlLocale(clientLocale), {
        minimumFractionDigits: 1,
        maximumFractionDigits: 1,
      }),
    [clientLocale],
  )

  if (!pointer || !draft) return null
  const instrument = getInstrument(pointer.instrumentId)
  // The organisation's licensed wording when its text pack has this language; else Linja's labels.
  // The wording may be in a language Linja has no buttons in (from the pack): marked up as such.
  const texts = resolveTexts(instrument.id, pointer.textLanguage ?? clientLocale, pack)
  const textLang = { lang: texts.language, dir: textDirection(texts.language) }
  const items = instrument.items
  const marked = items.filter((i) => typeof draft.items[i.id] === 'number').length
  const complete = marked === items.length
  const faceSpace = instrument.faces ? 160 : 0
  // At least 10 cm where the screen allows; otherwise as long as fits.
  const lengthPx = Math.max(240, Math.min(10 * pxPerCm, available - 64 - faceSpace))
  const heading =
    instrument.kind === 'outcome' ? t('clientMode.outcomeHeading') : t('clientMode.sessionHeading')

  return (
    <div className="client-mode" lang={clientLocale}>
      <div className="client-mode-bar">
        <button type="button" className="practitioner-button" onClick={() => setPinOpen(true)}>
          {t('clientMode.practitioner')}
        </button>
      </div>
      {pointer.phase === 'thanks' ? (
        <section className="client-thanks" aria-labelledby="thanks-title">
          <h1 id="thanks-title" tabIndex={-1} ref={thanksRef} aria-describedby="thanks-text">
            {t('clientMode.thanksTitle')}
          </h1>
          <p id="thanks-text">
            {pointer.groupSessionId ? t('clientMode.thanksGroup') : t('clientMode.thanksText')}
          </p>
          {pointer.groupSessionId && (
            <button type="button" className="primary big" onClick={() => void nextMember()}>
              {t('clientMode.nextMember')}
            </button>
          )}
        </section>
      ) : (
        <form
          className="client-form"
          aria-labelledby="form-title"
          onSubmit={(e) => {
            e.preventDefault()
            if (complete) void done()
          }}
        >
          <h1 id="form-title">{heading}</h1>
          {pointer.groupSessionId && (
            <p className="member">{t('clientMode.member', { n: pointer.member })}</p>
          )}
          <p
            id="form-instructions"
            className="instructions"
            {...(texts.instructions === null ? {} : textLang)}
          >
            {texts.instructions ??
              (instrument.response === 'face-choice'
                ? t('clientMode.instructionsFaces')
                : t('clientMode.instructions'))}
          </p>
          {items.map((item) =>
            instrument.response === 'face-choice' ? (
              <FaceChoice
                key={item.id}
                id={`item-${item.id.replace(/[^a-z0-9-]/gi, '-')}`}
                label={texts.items[item.id] ?? item.id}
                value={draft.items[item.id] ?? null}
                onChoose={(v) => void mark(item.id, v)}
                t={t}
                textLang={textLang}
              />
            ) : (
              <VasLine
                key={item.id}
                id={`item-${item.id.replace(/[^a-z0-9-]/gi, '-')}`}
                label={texts.items[item.id] ?? item.id}
                lowLabel={texts.endLabels.low}
                highLabel={texts.endLabels.high}
                value={draft.items[item.id] ?? null}
                onCommit={(v) => void mark(item.id, v)}
                valueText={(v) =>
                  v === null
                    ? t('vas.unmarked')
                    : t('vas.valueText', { value: numberFormat.format(v) })
                }
                lengthPx={lengthPx}
                faces={instrument.faces}
                describedBy="form-instructions"
                textLang={textLang}
              />
            ),
          )}
          {saveProblem && (
            <p className="save-problem" role="alert">
              {saveProblem === 'quota-exceeded'
                ? t('clientMode.quotaProblem')
                : t('clientMode.saveProblem')}
            </p>
          )}
          <div className="client-actions">
            <button
              type="submit"
              className="primary big"
              aria-disabled={!complete}
              aria-describedby="done-hint"
            >
              {t('clientMode.done')}
            </button>
            <p id="done-hint" className="hint" aria-live="polite">
              {complete ? '' : t('clientMode.markAll', { count: items.length - marked })}
            </p>
          </div>
        </form>
      )}
      {pinOpen && (
        <PinDialog
          title={t('clientMode.pinTitle')}
          onCancel={() => setPinOpen(false)}
          onSubmit={async (pin) => {
            const result = await exit(pin)
            if (result === 'left') {
              setPinOpen(false)
              onExit()
              return true
            }
            if (result === 'wrong-pin') return false
            return useClientModeStore.getState().saveProblem === 'quota-exceeded'
              ? t('clientMode.keptOpenFull')
              : t('clientMode.keptOpen')
          }}
          t={t}
        />
      )}
    </div>
  )
}

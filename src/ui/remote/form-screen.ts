// The form itself: the lines (or faces), "Ferdig" once every one is marked, and what went wrong
// while sending. Built once per form and language; marks and problems update it in place, so a
// line being dragged or focused is never rebuilt under the finger.
import { getInstrument } from '../../core/instruments.ts'
import { textDirection } from '../../core/text-pack.ts'
import { fill, type RemoteTexts } from '../../i18n/remote-page.ts'
import type { RemoteForm, RemoteFormFlow, Screen } from '../../state/remote-form.ts'
import type { Mood } from '../shared/faces.ts'
import { h } from './dom.ts'
import { faceChoice } from './face-choice-dom.ts'
import { vasLine } from './vas-line-dom.ts'
import { problemText } from './words.ts'

type FormScreen = Extract<Screen, { kind: 'form' }>

const FACE_WORDS: Record<Mood, keyof RemoteTexts> = {
  'very-sad': 'faceVerySad',
  sad: 'faceSad',
  neutral: 'faceNeutral',
  happy: 'faceHappy',
  'very-happy': 'faceVeryHappy',
}

export interface ScreenView {
  element: HTMLElement
  /** Where focus goes when the screen appears. */
  focusTarget: HTMLElement
  update(screen: Screen): void
}

export function formScreen(
  screen: FormScreen,
  t: RemoteTexts,
  locale: string,
  flow: RemoteFormFlow,
): ScreenView {
  const form: RemoteForm = screen.form
  const instrument = getInstrument(form.instrumentId)
  const facesOnly = instrument?.response === 'face-choice'
  const withFaces = form.faces
  // The form's wording may be in a language the page has no words in (a text pack's).
  const textLang = { lang: form.locale, dir: textDirection(form.locale) }
  const narrow = window.innerWidth < 560
  const numbers = new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'nb-NO', {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  })
  const valueText = (v: number | null) =>
    v === null ? t.unmarked : fill(t.valueText, { value: numbers.format(v) })

  const lines = form.items.map((item, i) => {
    const id = `item-${i + 1}`
    const onCommit = (v: number) => flow.mark(item.id, v)
    const value = screen.marks[item.id] ?? null
    if (facesOnly) {
      const view = faceChoice({
        id,
        label: item.label,
        textLang,
        value,
        faceLabel: (mood) => t[FACE_WORDS[mood]],
        onChoose: onCommit,
      })
      return { itemId: item.id, ...view, focus: () => view.element.querySelector('input')?.focus() }
    }
    return {
      itemId: item.id,
      ...vasLine({
        id,
        label: item.label,
        lowLabel: item.lowAnchor,
        highLabel: item.highAnchor,
        textLang,
        value,
        faceSize: withFaces ? (narrow ? 36 : 56) : null,
        describedBy: 'form-help',
        valueText,
        onCommit,
      }),
    }
  })

  const heading = instrument?.kind === 'session' ? t.sessionHeading : t.outcomeHeading
  const title = h('h1', { id: 'form-title', tabindex: -1 }, heading)
  const instructions =
    form.instructions === null
      ? h('p', { class: 'instructions' }, facesOnly ? t.instructionsFaces : t.instructions)
      : h('p', { class: 'instructions', ...textLang }, form.instructions)
  const problem = h('p', { class: 'save-problem', role: 'alert', hidden: true })
  const done = h('button', {
    type: 'submit',
    class: 'primary big',
    'aria-describedby': 'done-hint',
  })
  const hint = h('p', { id: 'done-hint', class: 'hint', 'aria-live': 'polite' })
  const element = h(
    'form',
    { class: 'client-form', 'aria-labelledby': 'form-title', novalidate: true },
    title,
    instructions,
    facesOnly ? null : h('p', { id: 'form-help', class: 'hint' }, t.lineHelp),
    ...lines.map((l) => l.element),
    problem,
    h('div', { class: 'client-actions' }, done, hint),
  )

  let current = screen
  element.addEventListener('submit', (e) => {
    e.preventDefault()
    const unmarked = lines.find((l) => typeof current.marks[l.itemId] !== 'number')
    if (unmarked) {
      unmarked.focus()
      return
    }
    void flow.send()
  })

  const update = (next: Screen) => {
    if (next.kind !== 'form') return
    current = next
    for (const line of lines) line.set(next.marks[line.itemId] ?? null)
    const left = lines.filter((l) => typeof next.marks[l.itemId] !== 'number').length
    done.textContent = next.busy ? t.sending : t.done
    done.setAttribute('aria-disabled', String(left > 0 || next.busy))
    hint.textContent = left === 0 ? '' : left === 1 ? t.markAllOne : fill(t.markAll, { n: left })
    problem.hidden = next.problem === null
    problem.textContent = next.problem ? problemText(next.problem, t) : ''
  }
  update(screen)
  return { element, focusTarget: title, update }
}

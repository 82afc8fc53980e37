// The remote page's visual-analogue line: the same markup, classes, ARIA and gestures as client
// mode's VasLine (src/ui/client-mode/VasLine.tsx), built with the DOM instead of React.
import { UNMARKED_VALUE, VasGesture } from '../shared/vas-gesture.ts'
import { h } from './dom.ts'
import { faceSvg } from './face-dom.ts'

export interface VasLineOptions {
  id: string
  label: string
  lowLabel: string
  highLabel: string
  /** Language of the form's wording when it is not the page's. */
  textLang: { lang: string; dir: 'ltr' | 'rtl' }
  value: number | null
  faceSize: number | null
  describedBy: string
  valueText: (value: number | null) => string
  onCommit: (value: number) => void
}

export interface VasLineView {
  element: HTMLElement
  /** A value from outside (a kept mark): shows it unless a drag is under way. */
  set(value: number | null): void
  focus(): void
}

export function vasLine(o: VasLineOptions): VasLineView {
  let latest = o.value
  const mark = h('div', { class: 'vas-mark' })
  const track = h(
    'div',
    { class: 'vas-track' },
    h('div', { class: 'vas-line' }),
    h('div', { class: 'vas-tick vas-tick-low' }),
    h('div', { class: 'vas-tick vas-tick-high' }),
    mark,
  )
  const slider = h(
    'div',
    {
      id: o.id,
      class: 'vas-slider',
      role: 'slider',
      tabindex: 0,
      'aria-labelledby': `${o.id}-label`,
      'aria-valuemax': 10,
      'aria-orientation': 'horizontal',
    },
    track,
  )
  const state = h('span', { id: `${o.id}-state`, class: 'sr-only' })
  const root = h(
    'div',
    { class: 'vas' },
    h('div', { class: 'vas-label', id: `${o.id}-label` }, h('span', o.textLang, o.label)),
    h(
      'div',
      { class: 'vas-row' },
      o.faceSize ? faceSvg('sad', o.faceSize, 'vas-face') : null,
      slider,
      state,
      o.faceSize ? faceSvg('happy', o.faceSize, 'vas-face') : null,
    ),
    h(
      'div',
      { class: 'vas-ends', 'aria-hidden': 'true' },
      h('span', o.textLang, o.lowLabel),
      h('span', o.textLang, o.highLabel),
    ),
  )

  const place = (score: number | null) => {
    mark.hidden = score === null
    if (score !== null) mark.style.left = `${score * 10}%`
  }
  // ARIA and the look follow the committed value only, as in client mode.
  const show = (value: number | null) => {
    const marked = value !== null
    root.className = `vas ${marked ? 'is-marked' : 'is-unmarked'}`
    slider.setAttribute('aria-valuemin', String(marked ? 0 : UNMARKED_VALUE))
    slider.setAttribute('aria-valuenow', String(marked ? Number(value.toFixed(1)) : UNMARKED_VALUE))
    slider.setAttribute('aria-valuetext', o.valueText(value))
    slider.setAttribute(
      'aria-describedby',
      marked ? o.describedBy : `${o.id}-state ${o.describedBy}`,
    )
    state.textContent = marked ? '' : o.valueText(null)
  }

  const gesture = new VasGesture({
    track: () => track,
    focus: () => slider.focus({ preventScroll: true }),
    place,
    commit: (score) => {
      latest = score
      show(score)
      o.onCommit(score)
    },
    latest: () => latest,
  })
  slider.addEventListener('pointerdown', (e) =>
    gesture.down(e, () => slider.setPointerCapture(e.pointerId)),
  )
  slider.addEventListener('pointermove', (e) => gesture.move(e))
  slider.addEventListener('pointerup', (e) => gesture.finish(e, true))
  slider.addEventListener('pointercancel', (e) => gesture.finish(e, false))
  slider.addEventListener('lostpointercapture', (e) => gesture.finish(e, true))
  slider.addEventListener('keydown', (e) => {
    if (gesture.key(e.key)) e.preventDefault()
  })

  place(latest)
  show(latest)
  return {
    element: root,
    set(value) {
      if (value === latest) return
      latest = value
      show(value)
      if (!gesture.isDragging) place(value)
    },
    focus: () => slider.focus(),
  }
}

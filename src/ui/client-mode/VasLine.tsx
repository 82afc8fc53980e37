import { type KeyboardEvent, type PointerEvent, useCallback, useEffect, useRef } from 'react'
import { scoreFromFraction } from '../../core/index.ts'
import { Face } from './Face.tsx'

export interface VasLineProps {
  id: string
  /** Accessible name: the item's label in the client's language. */
  label: string
  lowLabel: string
  highLabel: string
  /** Language and direction of the wording (label and end labels), when not the page's. */
  textLang?: { lang: string; dir: 'ltr' | 'rtl' }
  value: number | null
  /** Called on every committed change: pointer up, or a key press. */
  onCommit: (value: number) => void
  /** aria-valuetext for a marked line and for an unmarked one, in the client's language. */
  valueText: (value: number | null) => string
  /** Line length in CSS px for 10 cm on this device (from calibration); shrinks to fit the screen. */
  lengthPx: number
  faces?: boolean
  /** Practitioner view shows the number; client mode never does. */
  showNumber?: boolean
  formatNumber?: (value: number) => string
  /** Id of an element that describes how to use the line. */
  describedBy?: string
}

/**
 * What an unmarked line reports as its value: below every score, so no assistive technology can
 * read a score (without aria-valuenow Chromium reports the midpoint, 5). The range then starts
 * here too, so the value stays valid; aria-valuetext and the description say "not marked".
 */
export const UNMARKED_VALUE = -1

/** A finger must move this far (CSS px) before a drag counts; shorter is a tap. */
const TOUCH_SLOP = 10

const KEY_STEPS: Record<string, number> = {
  ArrowRight: 0.1,
  ArrowUp: 0.1,
  ArrowLeft: -0.1,
  ArrowDown: -0.1,
  PageUp: 1,
  PageDown: -1,
}

/**
 * One visual-analogue line. The mark follows the pointer in the same frame by writing the
 * position straight to the DOM on pointermove; React state is only updated on commit.
 *
 * Mouse and pen mark at once on press. A finger must be able to scroll the form over the lines
 * (touch-action: pan-y), so a touch marks only on a tap or once it moves mainly sideways; a
 * vertical swipe is the browser's to scroll, and its pointercancel leaves the mark as it was.
 */
export function VasLine(props: VasLineProps) {
  const { value, onCommit, valueText, lengthPx, faces, showNumber, formatNumber } = props
  const trackRef = useRef<HTMLDivElement>(null)
  const markRef = useRef<HTMLDivElement>(null)
  const sliderRef = useRef<HTMLDivElement>(null)
  const dragging = useRef<{ pointerId: number; value: number } | null>(null)
  // A touch that has not yet shown whether it is a tap, a sideways drag or a scroll.
  const pending = useRef<{ pointerId: number; x: number; y: number } | null>(null)
  // The latest committed value: key presses faster than React re-renders must build on each other.
  const latest = useRef<number | null>(value)
  // Values this line committed itself that a (late) render may still bring back as props.
  const ownValues = useRef<number[]>([])
  const commitScore = (score: number) => {
    latest.current = score
    ownValues.current = [...ownValues.current.slice(-49), score]
    onCommit(score)
  }

  const place = useCallback((score: number | null) => {
    const mark = markRef.current
    if (!mark) return
    if (score === null) {
      mark.hidden = true
      return
    }
    mark.hidden = false
    mark.style.left = `${score * 10}%`
  }, [])

  useEffect(() => {
    // A render can arrive late with a value this line committed earlier: ignore it. A value from
    // elsewhere (a restored draft, the next group member's empty form) replaces the mark.
    const own = value !== null && ownValues.current.includes(value)
    if (!own) {
      latest.current = value
      ownValues.current = []
    }
    if (!dragging.current) place(latest.current)
  }, [value, place])

  const scoreFromEvent = (e: PointerEvent<HTMLDivElement>): number => {
    const track = trackRef.current
    if (!track) return 0
    const rect = track.getBoundingClientRect()
    return scoreFromFraction((e.clientX - rect.left) / rect.width)
  }

  const startDrag = (e: PointerEvent<HTMLDivElement>) => {
    sliderRef.current?.focus({ preventScroll: true })
    const score = scoreFromEvent(e)
    dragging.current = { pointerId: e.pointerId, value: score }
    place(score)
  }

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 && e.pointerType === 'mouse') return
    e.currentTarget.setPointerCapture(e.pointerId)
    if (e.pointerType === 'touch') {
      pending.current = { pointerId: e.pointerId, x: e.clientX, y: e.clientY }
      return
    }
    e.preventDefault()
    startDrag(e)
  }

  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const touch = pending.current
    if (touch && touch.pointerId === e.pointerId) {
      const dx = Math.abs(e.clientX - touch.x)
      const dy = Math.abs(e.clientY - touch.y)
      if (Math.max(dx, dy) < TOUCH_SLOP) return
      pending.current = null
      // Mainly vertical: a scroll, not a mark (the browser usually cancels the pointer first).
      if (dy >= dx) return
      startDrag(e)
    }
    const drag = dragging.current
    if (!drag || drag.pointerId !== e.pointerId) return
    e.preventDefault()
    drag.value = scoreFromEvent(e)
    place(drag.value)
  }

  const finish = (e: PointerEvent<HTMLDivElement>, commit: boolean) => {
    const touch = pending.current
    if (touch && touch.pointerId === e.pointerId) {
      pending.current = null
      // A tap: the finger came up where it went down.
      if (commit && e.type === 'pointerup') {
        sliderRef.current?.focus({ preventScroll: true })
        const score = scoreFromEvent(e)
        place(score)
        commitScore(score)
      }
      return
    }
    const drag = dragging.current
    if (!drag || drag.pointerId !== e.pointerId) return
    dragging.current = null
    if (commit) {
      const score = e.type === 'pointerup' ? scoreFromEvent(e) : drag.value
      place(score)
      commitScore(score)
    } else {
      place(latest.current)
    }
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    let next: number | null = null
    if (e.key === 'Home') next = 0
    else if (e.key === 'End') next = 10
    else if (e.key in KEY_STEPS) {
      // An unmarked line starts from the middle, so a keyboard user is never silently at 0.
      const current = latest.current
      next = current === null ? 5 : current + (KEY_STEPS[e.key] ?? 0)
    }
    if (next === null) return
    e.preventDefault()
    const score = Math.min(10, Math.max(0, Math.round(next * 10) / 10))
    place(score)
    commitScore(score)
  }

  const marked = value !== null
  return (
    <div className={`vas ${marked ? 'is-marked' : 'is-unmarked'}`}>
      <div className="vas-label" id={`${props.id}-label`}>
        <span {...props.textLang}>{props.label}</span>
        {showNumber && (
          <span className="vas-number">
            {marked ? (formatNumber?.(value) ?? value.toFixed(1)) : '–'}
          </span>
        )}
      </div>
      <div className="vas-row" style={{ maxWidth: `${lengthPx + (faces ? 160 : 0)}px` }}>
        {faces && <Face mood="sad" className="vas-face" />}
        <div
          ref={sliderRef}
          id={props.id}
          className="vas-slider"
          role="slider"
          tabIndex={0}
          aria-labelledby={`${props.id}-label`}
          aria-describedby={
            marked ? props.describedBy : `${props.id}-state ${props.describedBy ?? ''}`.trim()
          }
          aria-valuemin={marked ? 0 : UNMARKED_VALUE}
          aria-valuemax={10}
          aria-valuenow={marked ? Number(value.toFixed(1)) : UNMARKED_VALUE}
          aria-valuetext={valueText(value)}
          aria-orientation="horizontal"
          onKeyDown={onKeyDown}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={(e) => finish(e, true)}
          onPointerCancel={(e) => finish(e, false)}
          onLostPointerCapture={(e) => finish(e, true)}
          style={{ width: `${lengthPx}px` }}
        >
          <div ref={trackRef} className="vas-track">
            <div className="vas-line" />
            <div className="vas-tick vas-tick-low" />
            <div className="vas-tick vas-tick-high" />
            <div ref={markRef} className="vas-mark" hidden={!marked} />
          </div>
        </div>
        {!marked && (
          <span id={`${props.id}-state`} className="sr-only">
            {valueText(null)}
          </span>
        )}
        {faces && <Face mood="happy" className="vas-face" />}
      </div>
      <div
        className="vas-ends"
        style={{ maxWidth: `${lengthPx + (faces ? 160 : 0)}px` }}
        aria-hidden="true"
      >
        <span {...props.textLang}>{props.lowLabel}</span>
        <span {...props.textLang}>{props.highLabel}</span>
      </div>
    </div>
  )
}

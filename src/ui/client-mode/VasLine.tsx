import { type PointerEvent, useCallback, useEffect, useRef } from 'react'
import { UNMARKED_VALUE, VasGesture } from '../shared/vas-gesture.ts'
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
 * One visual-analogue line. The mark follows the pointer in the same frame by writing the
 * position straight to the DOM on pointermove; React state is only updated on commit. Finger,
 * pen, mouse and keys are read by VasGesture, which the remote page's line shares.
 */
export function VasLine(props: VasLineProps) {
  const { value, onCommit, valueText, lengthPx, faces, showNumber, formatNumber } = props
  const trackRef = useRef<HTMLDivElement>(null)
  const markRef = useRef<HTMLDivElement>(null)
  const sliderRef = useRef<HTMLDivElement>(null)
  // The latest committed value: key presses faster than React re-renders must build on each other.
  const latest = useRef<number | null>(value)
  // Values this line committed itself that a (late) render may still bring back as props.
  const ownValues = useRef<number[]>([])
  const onCommitRef = useRef(onCommit)
  onCommitRef.current = onCommit

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

  const gesture = useRef<VasGesture | null>(null)
  gesture.current ??= new VasGesture({
    track: () => trackRef.current,
    focus: () => sliderRef.current?.focus({ preventScroll: true }),
    place,
    commit: (score) => {
      latest.current = score
      ownValues.current = [...ownValues.current.slice(-49), score]
      onCommitRef.current(score)
    },
    latest: () => latest.current,
  })
  const drive = gesture.current

  useEffect(() => {
    // A render can arrive late with a value this line committed earlier: ignore it. A value from
    // elsewhere (a restored draft, the next group member's empty form) replaces the mark.
    const own = value !== null && ownValues.current.includes(value)
    if (!own) {
      latest.current = value
      ownValues.current = []
    }
    if (!drive.isDragging) place(latest.current)
  }, [value, place, drive])

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    const target = e.currentTarget
    drive.down(e, () => target.setPointerCapture(e.pointerId))
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
          onKeyDown={(e) => {
            if (drive.key(e.key)) e.preventDefault()
          }}
          onPointerDown={onPointerDown}
          onPointerMove={(e) => drive.move(e)}
          onPointerUp={(e) => drive.finish(e, true)}
          onPointerCancel={(e) => drive.finish(e, false)}
          onLostPointerCapture={(e) => drive.finish(e, true)}
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

// How a visual-analogue line turns a finger, pen, mouse or key into a mark. No React: client mode's
// VasLine and the remote page's DOM line (which loads no React) share exactly the same behaviour.
import { scoreFromFraction } from '../../core/scoring.ts'

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

/** The part of a pointer event the line reads: a DOM PointerEvent and React's both have it. */
export interface VasPointer {
  pointerId: number
  pointerType: string
  button: number
  clientX: number
  clientY: number
  type: string
  preventDefault(): void
}

/** What the gesture needs from the line it drives. */
export interface VasHost {
  /** The track the score is read from (0 at its left edge, 10 at its right). */
  track(): HTMLElement | null
  /** Focus the slider without scrolling (a mark by pointer moves focus to the line). */
  focus(): void
  /** Show the mark at a score, or hide it; called on every move, before any commit. */
  place(score: number | null): void
  /** A committed mark: pointer up, a tap, or a key press. */
  commit(score: number): void
  /** The latest committed score (key presses build on it). */
  latest(): number | null
}

/** The score a key press gives, or null for a key the line does not use. */
export function scoreForKey(key: string, current: number | null): number | null {
  let next: number | null = null
  if (key === 'Home') next = 0
  else if (key === 'End') next = 10
  else if (key in KEY_STEPS) {
    // An unmarked line starts from the middle, so a keyboard user is never silently at 0.
    next = current === null ? 5 : current + (KEY_STEPS[key] ?? 0)
  }
  if (next === null) return null
  return Math.min(10, Math.max(0, Math.round(next * 10) / 10))
}

/**
 * Mouse and pen mark at once on press. A finger must be able to scroll the form over the lines
 * (touch-action: pan-y), so a touch marks only on a tap or once it moves mainly sideways; a
 * vertical swipe is the browser's to scroll, and its pointercancel leaves the mark as it was.
 */
export class VasGesture {
  private dragging: { pointerId: number; value: number } | null = null
  // A touch that has not yet shown whether it is a tap, a sideways drag or a scroll.
  private pending: { pointerId: number; x: number; y: number } | null = null

  constructor(private readonly host: VasHost) {}

  /** While a drag is under way the mark follows the pointer, not the committed value. */
  get isDragging(): boolean {
    return this.dragging !== null
  }

  private scoreFrom(e: VasPointer): number {
    const track = this.host.track()
    if (!track) return 0
    const rect = track.getBoundingClientRect()
    return scoreFromFraction((e.clientX - rect.left) / rect.width)
  }

  private startDrag(e: VasPointer): void {
    this.host.focus()
    const score = this.scoreFrom(e)
    this.dragging = { pointerId: e.pointerId, value: score }
    this.host.place(score)
  }

  /** `capture` keeps the pointer's events on the line while it is down. */
  down(e: VasPointer, capture: () => void): void {
    if (e.button !== 0 && e.pointerType === 'mouse') return
    capture()
    if (e.pointerType === 'touch') {
      this.pending = { pointerId: e.pointerId, x: e.clientX, y: e.clientY }
      return
    }
    e.preventDefault()
    this.startDrag(e)
  }

  move(e: VasPointer): void {
    const touch = this.pending
    if (touch && touch.pointerId === e.pointerId) {
      const dx = Math.abs(e.clientX - touch.x)
      const dy = Math.abs(e.clientY - touch.y)
      if (Math.max(dx, dy) < TOUCH_SLOP) return
      this.pending = null
      // Mainly vertical: a scroll, not a mark (the browser usually cancels the pointer first).
      if (dy >= dx) return
      this.startDrag(e)
    }
    const drag = this.dragging
    if (!drag || drag.pointerId !== e.pointerId) return
    e.preventDefault()
    drag.value = this.scoreFrom(e)
    this.host.place(drag.value)
  }

  /** Pointer up or lost capture (commit) and pointer cancel (no commit). */
  finish(e: VasPointer, commit: boolean): void {
    const touch = this.pending
    if (touch && touch.pointerId === e.pointerId) {
      this.pending = null
      // A tap: the finger came up where it went down.
      if (commit && e.type === 'pointerup') {
        this.host.focus()
        const score = this.scoreFrom(e)
        this.host.place(score)
        this.host.commit(score)
      }
      return
    }
    const drag = this.dragging
    if (!drag || drag.pointerId !== e.pointerId) return
    this.dragging = null
    if (commit) {
      const score = e.type === 'pointerup' ? this.scoreFrom(e) : drag.value
      this.host.place(score)
      this.host.commit(score)
    } else {
      this.host.place(this.host.latest())
    }
  }

  /** True when the key marked the line (the caller then prevents the key's default). */
  key(key: string): boolean {
    const score = scoreForKey(key, this.host.latest())
    if (score === null) return false
    this.host.place(score)
    this.host.commit(score)
    return true
  }
}

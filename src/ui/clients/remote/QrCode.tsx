import { useEffect, useState } from 'react'

type QrLibrary = typeof import('qrcode')

/** The dark modules of the code as one SVG path (one unit a module), with its size. */
async function qrPath(text: string): Promise<{ size: number; d: string }> {
  // Loaded only when a code is shown: the QR library is not part of the app's first load.
  const mod = (await import('qrcode')) as QrLibrary & { default?: QrLibrary }
  const lib = mod.default ?? mod
  const { modules } = lib.create(text, { errorCorrectionLevel: 'M' })
  let d = ''
  for (let y = 0; y < modules.size; y++) {
    for (let x = 0; x < modules.size; x++) {
      if (modules.get(y, x)) d += `M${x} ${y}h1v1h-1z`
    }
  }
  return { size: modules.size, d }
}

/** A QR code of `text`, drawn as SVG with the quiet zone around it scanners need. */
export function QrCode({ text, label }: { text: string; label: string }) {
  const [code, setCode] = useState<{ size: number; d: string } | null>(null)
  useEffect(() => {
    let live = true
    void qrPath(text).then((c) => {
      if (live) setCode(c)
    })
    return () => {
      live = false
    }
  }, [text])
  if (!code) return <div className="qr-code" aria-busy="true" />
  const quiet = 4
  const box = code.size + quiet * 2
  return (
    <svg
      className="qr-code"
      role="img"
      aria-label={label}
      viewBox={`${-quiet} ${-quiet} ${box} ${box}`}
      shapeRendering="crispEdges"
    >
      <rect x={-quiet} y={-quiet} width={box} height={box} fill="#fff" />
      <path d={code.d} fill="#000" />
    </svg>
  )
}

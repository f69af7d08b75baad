import { useMemo } from 'react';
import QRCode from 'qrcode';

/** Modules of white margin: readers need a quiet zone around the code. */
const quietZone = 4;

/**
 * A QR code drawn as SVG elements (the CSP allows no inline styles or data scripts, and an SVG
 * needs neither): one path over the dark modules, on a white square.
 */
export function QrCode({ text, label, testId }: { text: string; label: string; testId: string }) {
  const { size, path } = useMemo(() => {
    const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
    let d = '';
    for (let row = 0; row < modules.size; row++) {
      for (let col = 0; col < modules.size; col++) if (modules.get(row, col)) d += `M${col} ${row}h1v1h-1z`;
    }
    return { size: modules.size, path: d };
  }, [text]);
  const full = size + 2 * quietZone;
  return (
    <svg className="qr-code" data-testid={testId} data-payload={text} role="img" aria-label={label} viewBox={`${-quietZone} ${-quietZone} ${full} ${full}`} shapeRendering="crispEdges">
      <rect x={-quietZone} y={-quietZone} width={full} height={full} fill="#ffffff" />
      <path d={path} fill="#000000" />
    </svg>
  );
}

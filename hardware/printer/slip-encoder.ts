import type { DisclosureSlipJob } from '../../core/guide/disclosure-slip.ts';
import { lineColumns } from '../../core/printing/printing.ts';
import type { PaperWidth } from '../../core/printing/printing.ts';
import { EscPosStream, feedBeforeCut, printColumns, printable, qrModuleDots, wrapByDisplayWidth } from './ticket-encoder.ts';

/** Punctuation that Chinese typesetting never starts a line with (避头). */
const noLineStart = new Set(Array.from('，。、；：？！）》」』”’…,.;:?!)'));

/**
 * wrapByDisplayWidth, with Chinese line-breaking: a line that would start with closing
 * punctuation hangs it at the end of the line before instead, so lines are wrapped a character
 * short to leave it room. A long slip is full of （…） and ；, and a lone ） is easily misread.
 */
function wrapText(text: string, columns: number): string[] {
  if (columns < 6) return wrapByDisplayWidth(text, columns);
  const lines = wrapByDisplayWidth(text, columns - 2);
  for (let i = 1; i < lines.length; i++) {
    const first = Array.from(lines[i]!)[0];
    if (first === undefined || !noLineStart.has(first)) continue;
    lines[i - 1] += first;
    lines[i] = lines[i]!.slice(first.length);
  }
  return lines.filter((line, i) => line !== '' || i === 0);
}

/**
 * Lines of `text` no wider than the paper, the first after `prefix` and the rest under it, so a
 * material's name and its requirements read as one block beside its mark.
 */
function hanging(text: string, columns: number, prefix: string, indentWidth: number): string[] {
  const width = Math.max(1, columns - indentWidth);
  const indent = ' '.repeat(indentWidth);
  return wrapText(printable(text), width).map((line, i) => (i === 0 ? prefix : indent) + line);
}

/**
 * The complete byte stream of one disclosure slip, from reset to cut. It is longer than a ticket
 * and read at a counter, not across the hall: normal-size text, with the title, serial and every
 * missing or to-correct material in bold so they stand out on a long strip.
 */
export function encodeDisclosureSlip(job: DisclosureSlipJob, paper: PaperWidth): Buffer {
  const columns = lineColumns(paper);
  const out = new EscPosStream().init().chineseMode().align('center');
  const block = (text: string | undefined, scale = 1) => {
    if (text === undefined || text.trim() === '') return;
    for (const line of wrapText(printable(text), Math.floor(columns / scale))) out.line(line);
  };
  const rule = () => out.line('-'.repeat(columns));

  out.bold(true).size(1, 2);
  block(job.hallName);
  out.size(2, 2);
  block(job.title, 2);
  out.size(1, 1).feed(1).align('left');
  block(job.serialText);
  block(job.serviceText);
  block(job.codeText);
  out.bold(false);
  rule();
  block(job.summaryText);

  // Marks padded to one width, so the names line up whatever each mark says.
  const markWidth = Math.max(...job.materials.map((m) => printColumns(m.mark)));
  const indentWidth = Math.min(markWidth + 1, Math.floor(columns / 3));
  job.materials.forEach((material, i) => {
    // What the citizen must still act on stands out; what they have or what does not apply does not.
    const stands = material.status !== 'have' && material.status !== 'not-applicable';
    const prefix = material.mark + ' '.repeat(Math.max(1, indentWidth - printColumns(material.mark)));
    out.bold(stands);
    for (const line of hanging(`${i + 1}. ${material.name}`, columns, prefix, indentWidth)) out.line(line);
    out.bold(false);
    for (const detail of material.details) for (const line of hanging(detail, columns, ' '.repeat(indentWidth), indentWidth)) out.line(line);
  });

  rule();
  block(job.placeText);
  block(job.consultPhoneText);
  out.bold(true);
  block(job.supervisionPhoneText);
  out.bold(false);
  block(job.issuedAtText);

  if (job.qrPayload !== undefined) {
    out.align('center').qr(job.qrPayload, qrModuleDots[paper]);
    block(job.qrCaption);
  }
  if (job.footer !== undefined && job.footer.trim() !== '') {
    out.align('left');
    rule();
    block(job.footer);
  }
  return out.feed(feedBeforeCut).cut().toBuffer();
}

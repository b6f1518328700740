// A minimal PDF writer for the generated test reports: hand-written PDF 1.7 syntax (catalog, page tree, the
// standard Helvetica and Times fonts with WinAnsiEncoding, one content stream per page, image XObjects for the
// scanned-style pages, a classic cross-reference table). No dependency, no clock, no randomness: the same
// document description always gives the same bytes, so the tests can pin pages and the files need no commit.
//
// It lays out blocks (headings, paragraphs, line blocks, bullet lists, tables) top-down on US Letter pages and
// refuses a page whose blocks do not fit, so every report states its page breaks itself and the extraction
// tests can name the page each field is on. Text is drawn the way common producers draw it: one text object per
// line, tables cell by cell in reading order, and (optionally) kerned TJ arrays that split words.
import { deflateSync } from 'node:zlib';

export type Block =
  | { kind: 'heading'; text: string; size?: number }
  | { kind: 'para'; text: string; size?: number; font?: FontName }
  | { kind: 'lines'; lines: string[]; size?: number; font?: FontName }
  | { kind: 'bullets'; items: string[]; marker?: string; size?: number }
  | { kind: 'table'; widths: number[]; header: string[]; rows: string[][]; size?: number }
  | { kind: 'space'; points: number };

export interface TextPage {
  blocks: Block[];
}

/** A page that is one grey-scale picture of a page: what a scanner produces, with no text at all. */
export interface ScannedPage {
  /** `stamp`: a few characters of real text (a scanner's page label), below any sensible text-layer threshold. */
  scan: { seed: number; lines: number; stamp?: string };
}

export type PdfPage = TextPage | ScannedPage;

export interface PdfDocument {
  title: string;
  /** Printed at the foot of every text page with "Page N of M" (repeated boilerplate, as in real reports). */
  footer?: string;
  pages: PdfPage[];
  /** FlateDecode content streams (what most producers write); off gives plain text streams. */
  compress?: boolean;
  /** Draw words as kerned TJ arrays that split inside words, as word processors do. */
  kerned?: boolean;
}

type FontName = 'F1' | 'F2' | 'F3';
const FONTS: Record<FontName, string> = { F1: 'Helvetica', F2: 'Helvetica-Bold', F3: 'Times-Roman' };

const PAGE_WIDTH = 612;
const PAGE_HEIGHT = 792;
const MARGIN = 72;
const TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
const BODY_SIZE = 10;
const LEADING = 1.35;
/** An average Helvetica glyph is about half an em wide; enough to wrap lines inside the margins. */
const AVERAGE_GLYPH_EM = 0.5;

export class LayoutError extends Error {}

// WinAnsiEncoding for the characters real reports use beyond ASCII (smart quotes, dashes, bullets, marks).
const WIN_ANSI: Record<string, number> = {
  '\u2019': 0x92,
  '\u2018': 0x91,
  '\u201c': 0x93,
  '\u201d': 0x94,
  '\u2013': 0x96,
  '\u2014': 0x97,
  '\u2022': 0x95,
  '\u2026': 0x85,
  '\u20ac': 0x80,
};

function encodeText(text: string): Buffer {
  const bytes: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const mapped = WIN_ANSI[ch] ?? (code < 0x100 ? code : 0x3f);
    // Literal strings escape the three delimiters; everything else goes in as a raw byte.
    if (mapped === 0x28 || mapped === 0x29 || mapped === 0x5c) bytes.push(0x5c);
    bytes.push(mapped);
  }
  return Buffer.from(bytes);
}

function widthOf(text: string, size: number): number {
  return [...text].length * size * AVERAGE_GLYPH_EM;
}

function wrap(text: string, size: number, width: number): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && widthOf(candidate, size) > width) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line) lines.push(line);
  return lines;
}

const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

/** One line of text at (x, y): a plain Tj, or a kerned TJ array that splits words as word processors do. */
function showText(font: FontName, size: number, x: number, y: number, text: string, kerned: boolean): Buffer {
  const head = Buffer.from(`BT /${font} ${num(size)} Tf 1 0 0 1 ${num(x)} ${num(y)} Tm `, 'latin1');
  let body: Buffer;
  if (!kerned || text.length < 4) {
    body = Buffer.concat([Buffer.from('(', 'latin1'), encodeText(text), Buffer.from(') Tj', 'latin1')]);
  } else {
    // Split every 5th character with a small kerning adjustment: text extraction must glue them back.
    const parts: Buffer[] = [Buffer.from('[', 'latin1')];
    const chars = [...text];
    for (let i = 0; i < chars.length; i += 5) {
      parts.push(Buffer.from('(', 'latin1'), encodeText(chars.slice(i, i + 5).join('')));
      parts.push(Buffer.from(i + 5 < chars.length ? ') -12 ' : ')', 'latin1'));
    }
    parts.push(Buffer.from('] TJ', 'latin1'));
    body = Buffer.concat(parts);
  }
  return Buffer.concat([head, body, Buffer.from(' ET\n', 'latin1')]);
}

function layoutPage(page: TextPage, footer: string | undefined, kerned: boolean): Buffer {
  const out: Buffer[] = [];
  let y = PAGE_HEIGHT - MARGIN;
  const bottom = MARGIN + 24;
  const line = (font: FontName, size: number, x: number, text: string) => {
    y -= size * LEADING;
    if (y < bottom) throw new LayoutError(`page overflows at: ${text.slice(0, 60)}`);
    out.push(showText(font, size, x, y, text, kerned));
  };
  for (const block of page.blocks) {
    switch (block.kind) {
      case 'heading': {
        const size = block.size ?? 13;
        y -= size * 0.6;
        for (const l of wrap(block.text, size, TEXT_WIDTH)) line('F2', size, MARGIN, l);
        y -= size * 0.3;
        break;
      }
      case 'para': {
        const size = block.size ?? BODY_SIZE;
        for (const l of wrap(block.text, size, TEXT_WIDTH)) line(block.font ?? 'F1', size, MARGIN, l);
        y -= size * 0.7;
        break;
      }
      case 'lines': {
        const size = block.size ?? BODY_SIZE;
        for (const l of block.lines) line(block.font ?? 'F1', size, MARGIN, l);
        y -= size * 0.7;
        break;
      }
      case 'bullets': {
        const size = block.size ?? BODY_SIZE;
        const marker = block.marker ?? '\u2022';
        block.items.forEach((item, i) => {
          const label = marker === '#' ? `${i + 1}.` : marker;
          const wrapped = wrap(item, size, TEXT_WIDTH - 18);
          wrapped.forEach((l, j) => {
            if (j === 0) {
              // The marker and the first line are two text objects on one baseline, as producers draw lists.
              line('F1', size, MARGIN, label);
              out.push(showText('F1', size, MARGIN + 18, y, l, kerned));
            } else line('F1', size, MARGIN + 18, l);
          });
          y -= size * 0.3;
        });
        y -= size * 0.5;
        break;
      }
      case 'table': {
        const size = block.size ?? 9;
        const total = block.widths.reduce((a, b) => a + b, 0);
        const widths = block.widths.map((w) => (w / total) * TEXT_WIDTH);
        const row = (cells: string[], font: FontName) => {
          const wrapped = cells.map((c, i) => wrap(c, size, widths[i]! - 6));
          const height = Math.max(...wrapped.map((w) => w.length));
          const top = y;
          if (top - height * size * LEADING < bottom)
            throw new LayoutError(`table row overflows: ${cells[0]?.slice(0, 40)}`);
          let x = MARGIN;
          // Cell by cell, each cell's lines top-down: the order a word processor writes a table row in.
          wrapped.forEach((cellLines, i) => {
            cellLines.forEach((l, j) =>
              out.push(showText(font, size, x, top - (j + 1) * size * LEADING, l, kerned)),
            );
            x += widths[i]!;
          });
          y = top - height * size * LEADING - size * 0.6;
        };
        row(block.header, 'F2');
        for (const r of block.rows) row(r, 'F1');
        y -= size * 0.5;
        break;
      }
      case 'space':
        y -= block.points;
        break;
    }
  }
  if (footer) out.push(showText('F1', 8, MARGIN, MARGIN - 20, footer, false));
  return Buffer.concat(out);
}

/** A deterministic picture of a scanned page: grey paper, dark bars where lines of text would be, speckle. */
function scannedImage(seed: number, lines: number): { width: number; height: number; pixels: Buffer } {
  const width = 306;
  const height = 396;
  const pixels = Buffer.alloc(width * height);
  let state = seed >>> 0 || 1;
  const random = () => {
    // xorshift32: fixed sequence per seed.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000;
  };
  for (let i = 0; i < pixels.length; i++) pixels[i] = 232 + Math.floor(random() * 16);
  for (let l = 0; l < lines; l++) {
    const top = 40 + l * 11;
    if (top + 5 >= height - 30) break;
    const end = 36 + Math.floor((width - 72) * (0.6 + random() * 0.4));
    for (let yy = top; yy < top + 5; yy++)
      for (let xx = 36; xx < end; xx++)
        if (random() < 0.7) pixels[yy * width + xx] = 40 + Math.floor(random() * 60);
  }
  return { width, height, pixels };
}

/** Renders the document to PDF bytes. Throws LayoutError when a page's blocks do not fit on it. */
export function renderPdf(doc: PdfDocument): Uint8Array {
  const objects: Buffer[] = [];
  const add = (body: Buffer | string): number => {
    objects.push(typeof body === 'string' ? Buffer.from(body, 'latin1') : body);
    return objects.length;
  };
  const stream = (dict: string, data: Buffer, compress: boolean): Buffer => {
    const payload = compress ? deflateSync(data, { level: 9 }) : data;
    const filter = compress ? ' /Filter /FlateDecode' : '';
    return Buffer.concat([
      Buffer.from(`<< ${dict}${filter} /Length ${payload.length} >>\nstream\n`, 'latin1'),
      payload,
      Buffer.from('\nendstream', 'latin1'),
    ]);
  };

  const catalog = add('');
  const pageTree = add('');
  const fontIds: Record<string, number> = {};
  for (const [name, base] of Object.entries(FONTS))
    fontIds[name] = add(`<< /Type /Font /Subtype /Type1 /BaseFont /${base} /Encoding /WinAnsiEncoding >>`);
  const fontDict = Object.entries(fontIds)
    .map(([name, id]) => `/${name} ${id} 0 R`)
    .join(' ');

  const pageIds: number[] = [];
  const total = doc.pages.length;
  doc.pages.forEach((page, index) => {
    let content: Buffer;
    let resources: string;
    if ('scan' in page) {
      const image = scannedImage(page.scan.seed, page.scan.lines);
      const imageId = add(
        stream(
          `/Type /XObject /Subtype /Image /Width ${image.width} /Height ${image.height} /ColorSpace /DeviceGray /BitsPerComponent 8`,
          image.pixels,
          true,
        ),
      );
      content = Buffer.from(`q ${PAGE_WIDTH} 0 0 ${PAGE_HEIGHT} 0 0 cm /Im1 Do Q\n`, 'latin1');
      if (page.scan.stamp)
        content = Buffer.concat([content, showText('F1', 6, 560, 20, page.scan.stamp, false)]);
      resources = `<< /XObject << /Im1 ${imageId} 0 R >> /Font << ${fontDict} >> >>`;
    } else {
      const footer = doc.footer ? `${doc.footer}    Page ${index + 1} of ${total}` : undefined;
      content = layoutPage(page, footer, doc.kerned === true);
      resources = `<< /Font << ${fontDict} >> >>`;
    }
    const contentId = add(stream('', content, doc.compress === true));
    pageIds.push(
      add(
        `<< /Type /Page /Parent ${pageTree} 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] /Resources ${resources} /Contents ${contentId} 0 R >>`,
      ),
    );
  });
  objects[catalog - 1] = Buffer.from(`<< /Type /Catalog /Pages ${pageTree} 0 R >>`, 'latin1');
  objects[pageTree - 1] = Buffer.from(
    `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`,
    'latin1',
  );
  const info = add(
    Buffer.concat([
      Buffer.from('<< /Title (', 'latin1'),
      encodeText(doc.title),
      Buffer.from(') /Producer (Bridgekeeper test reports) >>', 'latin1'),
    ]),
  );

  // Header with a binary comment (marks the file as binary for transfer tools), then objects and the xref.
  const chunks: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = chunks[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(offset);
    const chunk = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`, 'latin1'),
      body,
      Buffer.from('\nendobj\n', 'latin1'),
    ]);
    chunks.push(chunk);
    offset += chunk.length;
  });
  const xref = [
    'xref',
    `0 ${objects.length + 1}`,
    '0000000000 65535 f ',
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n `),
    'trailer',
    `<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${info} 0 R >>`,
    'startxref',
    String(offset),
    '%%EOF',
    '',
  ].join('\n');
  chunks.push(Buffer.from(xref, 'latin1'));
  return new Uint8Array(Buffer.concat(chunks));
}

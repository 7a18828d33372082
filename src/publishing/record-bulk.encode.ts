/**
 * @module Binary COPY encoding of published records for the bulk loader (record-bulk.ts). One pass over each
 * searched text folds it (record-search.rules.ts FOLD_PAIRS), writes its UTF-8 bytes straight into the COPY buffer
 * and collects its token codes in a reusable open-addressing set, so no folded string, no Set<number> and no
 * decimal text of ~860 int4 codes per record is ever built (measured on 20,000 records: the text encoding of
 * search_grams alone was 7.7 KB per record and its parsing ~35 µs per record in PostgreSQL).
 *
 * The columns equal recordSearchColumns() (record-bulk.encode.test.ts checks it on fixed and random texts; the
 * SQL mirror test checks recordSearchColumns() against the trigger).
 *
 * PostgreSQL binary COPY: signature, flags, header extension; per row an int16 field count and per field an int32
 * byte length (-1 = NULL) and the value in the type's binary form (uuid 16 bytes, date int32 days since
 * 2000-01-01, timestamptz int64 µs since 2000-01-01 UTC, arrays: ndim, has-null, element oid, length, lower bound,
 * then each element with its length). Trailer int16 -1.
 */
import { randomFillSync } from "node:crypto";
import {
  agencyCode,
  boundaryCode,
  bucketCodeOf,
  DIGIT3_BASE,
  DIGIT4_BASE,
  FOLD_PAIRS,
  INDEXED_CHARS,
  SIG_BYTES,
  sigBit,
  yearCode,
} from "./record-search.rules.ts";

export interface BulkRecord {
  agencyId: string;
  /** Generated when absent. */
  id?: string;
  kind?: "document" | "interpretation";
  indexNo: string;
  title: string;
  summary: string;
  issuingAgency: string;
  docNumber: string;
  /** YYYY-MM-DD */
  publishedDate: string;
  /** 成文日期 YYYY-MM-DD (default: the published date). */
  formedDate?: string;
  topic: string;
  genre: string;
  keywords: string[];
  validity: "有效" | "失效" | "废止" | null;
  itemId: string | null;
  itemStableKey: string | null;
  bodyHtml: string;
  bodyText: string;
}

/** The records columns a COPY of encodeRecords() fills, in order. */
export const COPY_COLUMNS = [
  "agency_id",
  "id",
  "kind",
  "status",
  "index_no",
  "current_revision_no",
  "latest_revision_no",
  "workflow_status",
  "title",
  "summary",
  "issuing_agency",
  "doc_number",
  "formed_date",
  "published_date",
  "topic",
  "genre",
  "keywords",
  "validity",
  "disclosure",
  "item_id",
  "item_stable_key",
  "body_html",
  "body_text",
  "first_published_at",
  "published_at",
  "search_text",
  "search_head",
  "search_grams",
  "search_overflow",
  "search_sig",
] as const;

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const OID_TEXT = 25;
const OID_INT4 = 23;
const EPOCH_2000_DAYS = Date.UTC(2000, 0, 1) / 86_400_000;
/** 10:00 Beijing time (02:00 UTC) of the published date, as record.service.ts stamps a publication. */
const TEN_BEIJING_US = 2n * 3_600_000_000n;

/** One code point to its folded code point (identity where FOLD_PAIRS says nothing). BMP only: folds are BMP. */
const FOLD_TABLE: Uint16Array = (() => {
  const t = new Uint16Array(0x10000);
  for (let i = 0; i < t.length; i++) t[i] = i;
  for (const [from, to] of FOLD_PAIRS) t[from.charCodeAt(0)] = to.charCodeAt(0);
  return t;
})();

/** A growable byte buffer with the big-endian writers binary COPY needs. */
class Writer {
  buf: Buffer;
  view: DataView;
  pos = 0;
  /** Random bytes for generated ids, drawn 4 KB at a time. */
  private random = Buffer.alloc(4096);
  private randomUsed = 4096;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  }
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.length);
  }
  int16(v: number): void {
    this.ensure(2);
    this.view.setInt16(this.pos, v);
    this.pos += 2;
  }
  int32(v: number): void {
    this.ensure(4);
    this.view.setInt32(this.pos, v);
    this.pos += 4;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  null(): void {
    this.int32(-1);
  }
  /** A text field: length, then the UTF-8 bytes. */
  text(s: string): void {
    this.ensure(4 + s.length * 3);
    const n = this.buf.write(s, this.pos + 4, "utf8");
    this.view.setInt32(this.pos, n);
    this.pos += 4 + n;
  }
  textOrNull(s: string | null): void {
    if (s === null) this.null();
    else this.text(s);
  }
  int4Field(v: number): void {
    this.int32(4);
    this.int32(v);
  }
  uuid(s: string): void {
    this.ensure(20);
    this.view.setInt32(this.pos, 16);
    const hex = s.replace(/-/g, "");
    if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`not a uuid: ${s}`);
    this.buf.write(hex, this.pos + 4, 16, "hex");
    this.pos += 20;
  }
  randomUuid(): void {
    this.ensure(20);
    this.view.setInt32(this.pos, 16);
    const p = this.pos + 4;
    if (this.randomUsed + 16 > this.random.length) {
      randomFillSync(this.random); // one call per 256 ids: a call per id cost ~10 µs a record
      this.randomUsed = 0;
    }
    this.buf.set(this.random.subarray(this.randomUsed, this.randomUsed + 16), p);
    this.randomUsed += 16;
    this.buf[p + 6] = ((this.buf[p + 6] as number) & 0x0f) | 0x40; // version 4
    this.buf[p + 8] = ((this.buf[p + 8] as number) & 0x3f) | 0x80; // variant 10
    this.pos += 20;
  }
  /** date: days since 2000-01-01. */
  date(days: number): void {
    this.int32(4);
    this.int32(days - EPOCH_2000_DAYS);
  }
  /** timestamptz: microseconds since 2000-01-01 00:00 UTC. */
  timestamp(us: bigint): void {
    this.ensure(12);
    this.view.setInt32(this.pos, 8);
    this.view.setBigInt64(this.pos + 4, us);
    this.pos += 12;
  }
  textArray(values: readonly string[]): void {
    const start = this.pos;
    this.int32(0); // length, patched below
    if (values.length === 0) {
      this.int32(0);
      this.int32(0);
      this.int32(OID_TEXT);
    } else {
      this.int32(1);
      this.int32(0);
      this.int32(OID_TEXT);
      this.int32(values.length);
      this.int32(1);
      for (const v of values) this.text(v);
    }
    this.view.setInt32(start, this.pos - start - 4);
  }
}

/**
 * Token codes of the text being encoded: an open-addressing set of int4 (0 = empty; codes are never 0), probed
 * from the high bits of a multiplicative hash (a bigram's low bits are its second character's: they cluster).
 */
class GramSet {
  keys = new Int32Array(4096);
  shift = 20; // 32 - log2(keys.length)
  size = 0;
  /** Scratch for sorted(). */
  private out = new Int32Array(4096);
  private tmp = new Int32Array(4096);
  private count = new Uint32Array(3 * 2048);
  clear(): void {
    this.keys.fill(0);
    this.size = 0;
  }
  add(code: number): void {
    if (this.size * 2 >= this.keys.length) this.grow();
    const keys = this.keys;
    const mask = keys.length - 1;
    let i = Math.imul(code, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const k = keys[i] as number;
      if (k === code) return;
      if (k === 0) {
        keys[i] = code;
        this.size++;
        return;
      }
      i = (i + 1) & mask;
    }
  }
  /**
   * The codes in ascending (signed int4) order, as gk_search_grams' array_agg(DISTINCT …) returns them: GIN then
   * finds each row's keys already sorted (its per-row sort and the build's insertion cost about half as much CPU,
   * measured on 100,000 records), and the bulk path stores the very array the trigger would. A view of a scratch
   * array, valid until the next call.
   */
  sorted(): Int32Array {
    if (this.out.length < this.size) {
      this.out = new Int32Array(this.keys.length);
      this.tmp = new Int32Array(this.keys.length);
    }
    const keys = this.keys;
    let from = this.out;
    let to = this.tmp;
    let n = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) from[n++] = keys[i] as number;
    // LSD radix sort, three passes of 11 bits over the sign-flipped value, the three histograms counted in one
    // pass; a pass whose digit is the same for every code is skipped (measured faster here than Int32Array#sort,
    // which allocates per call).
    const count = this.count;
    count.fill(0);
    for (let i = 0; i < n; i++) {
      const u = ((from[i] as number) ^ 0x80000000) >>> 0;
      const d0 = u & 2047;
      const d1 = 2048 + ((u >>> 11) & 2047);
      const d2 = 4096 + (u >>> 22);
      count[d0] = (count[d0] as number) + 1;
      count[d1] = (count[d1] as number) + 1;
      count[d2] = (count[d2] as number) + 1;
    }
    for (let pass = 0; pass < 3; pass++) {
      const base = pass * 2048;
      const shift = pass * 11;
      if (n === 0 || count[base + ((((from[0] as number) ^ 0x80000000) >>> shift) & 2047)] === n) continue;
      let sum = 0;
      for (let i = base; i < base + 2048; i++) {
        const c = count[i] as number;
        count[i] = sum;
        sum += c;
      }
      for (let i = 0; i < n; i++) {
        const v = from[i] as number;
        const d = base + (((v ^ 0x80000000) >>> shift) & 2047);
        const at = count[d] as number;
        count[d] = at + 1;
        to[at] = v;
      }
      const t = from;
      from = to;
      to = t;
    }
    return from.subarray(0, n);
  }
  private grow(): void {
    const old = this.keys;
    this.keys = new Int32Array(old.length * 2);
    this.shift--;
    this.size = 0;
    for (let i = 0; i < old.length; i++) if (old[i] !== 0) this.add(old[i] as number);
  }
}

/** State of one search text being written: grams, previous character, characters counted. */
interface Fold {
  grams: GramSet;
  prev: number;
  /** The character code before `prev` (-1: none, or a space). */
  prev2: number;
  chars: number;
  /** Length of the current run of ASCII digits, and its last four digits as a number (digit grams). */
  run: number;
  last4: number;
}

/**
 * Writes `s` folded as UTF-8 at w.pos (the caller reserved 3 bytes per UTF-16 unit) and adds its tokens while
 * fewer than INDEXED_CHARS code points have been seen. Mirrors foldedGrams(foldForSearch(...)).
 */
function writeFolded(w: Writer, s: string, f: Fold): void {
  const buf = w.buf;
  let pos = w.pos;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let cp = s.charCodeAt(i);
    let astral = false;
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        astral = true;
        i++;
      }
    }
    if (!astral) cp = FOLD_TABLE[cp] as number;
    // UTF-8 (a lone surrogate is written as U+FFFD, as Buffer#write does)
    if (cp < 0x80) buf[pos++] = cp;
    else if (cp < 0x800) {
      buf[pos++] = 0xc0 | (cp >> 6);
      buf[pos++] = 0x80 | (cp & 0x3f);
    } else if (cp < 0x10000) {
      const c = cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp;
      buf[pos++] = 0xe0 | (c >> 12);
      buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
      buf[pos++] = 0x80 | (c & 0x3f);
    } else {
      buf[pos++] = 0xf0 | (cp >> 18);
      buf[pos++] = 0x80 | ((cp >> 12) & 0x3f);
      buf[pos++] = 0x80 | ((cp >> 6) & 0x3f);
      buf[pos++] = 0x80 | (cp & 0x3f);
    }
    if (f.chars < INDEXED_CHARS) {
      f.chars++;
      if (cp >= 0x30 && cp <= 0x39) {
        f.run++;
        f.last4 = (f.last4 * 10 + cp - 0x30) % 10_000;
        if (f.run >= 3) f.grams.add(DIGIT3_BASE + (f.last4 % 1_000));
        if (f.run >= 4) f.grams.add(DIGIT4_BASE + f.last4);
      } else f.run = 0;
      if (cp === 0x20) {
        f.prev = -1;
        f.prev2 = -1;
      } else {
        const c = cp <= 0xffff ? cp : 0xd800 + (cp % 0x800);
        f.grams.add(c);
        if (f.prev >= 0) f.grams.add((f.prev << 16) | c | 0);
        if (
          f.prev2 >= 0 &&
          f.prev >= 0x30 &&
          f.prev <= 0x39 &&
          (f.prev2 < 0x30 || f.prev2 > 0x39 || c < 0x30 || c > 0x39)
        )
          f.grams.add(boundaryCode(f.prev2, f.prev, c));
        f.prev2 = f.prev;
        f.prev = c;
      }
    } else f.chars++;
  }
  w.pos = pos;
}

/** Writes a separator character (U+0001 / U+0002) as part of the folded text. */
function writeFoldedSep(w: Writer, s: string, f: Fold): void {
  w.ensure(1);
  writeFolded(w, s, f);
}

function dayNumber(iso: string): number {
  const t = Date.parse(`${iso}T00:00:00Z`);
  if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new Error(`not a date: ${iso}`);
  return t / 86_400_000;
}

const scratch = { grams: new GramSet(), head: new Writer(1 << 12) };

/**
 * One binary COPY stream (signature, rows, trailer) of the records, in COPY_COLUMNS order, as published revision 1.
 */
export function encodeRecords(records: readonly BulkRecord[]): Buffer {
  const w = new Writer(16_384 + records.length * 24_000);
  w.bytes(SIGNATURE);
  w.int32(0);
  w.int32(0);
  for (const r of records) encodeRow(w, r);
  w.int16(-1);
  return w.buf.subarray(0, w.pos);
}

function encodeRow(w: Writer, r: BulkRecord): void {
  const day = dayNumber(r.publishedDate);
  const at = BigInt(day - EPOCH_2000_DAYS) * 86_400_000_000n + TEN_BEIJING_US;
  w.int16(COPY_COLUMNS.length);
  w.uuid(r.agencyId);
  const idAt = w.pos + 4;
  if (r.id) w.uuid(r.id);
  else w.randomUuid();
  // The id's last 32 bits decide its sampling bucket (bucketCode), read back from the bytes just written.
  const idTail = w.view.getUint32(idAt + 12);
  w.text(r.kind ?? "document");
  w.text("published");
  w.text(r.indexNo);
  w.int4Field(1);
  w.int4Field(1);
  w.text("published");
  w.text(r.title);
  w.text(r.summary);
  w.text(r.issuingAgency);
  w.text(r.docNumber);
  w.date(r.formedDate ? dayNumber(r.formedDate) : day);
  w.date(day);
  w.text(r.topic);
  w.text(r.genre);
  w.textArray(r.keywords);
  w.textOrNull(r.validity);
  w.text("主动公开");
  if (r.itemId) w.uuid(r.itemId);
  else w.null();
  w.textOrNull(r.itemStableKey);
  w.text(r.bodyHtml);
  w.text(r.bodyText);
  w.timestamp(at);
  w.timestamp(at);
  encodeSearchColumns(w, r, idTail);
}

/**
 * search_text, search_head, search_grams, search_overflow, search_sig (see recordSearchColumns): the head is folded once into
 * a scratch writer and copied into both text fields.
 */
function encodeSearchColumns(w: Writer, r: BulkRecord, idTail: number): void {
  const grams = scratch.grams;
  grams.clear();
  const f: Fold = { grams, prev: -1, prev2: -1, chars: 0, run: 0, last4: 0 };
  // head: title \1 文号 \1 索引号 \1 关键词 (joined by \2) \1 summary
  const h = scratch.head;
  h.pos = 0;
  const headLength =
    r.title.length +
    r.docNumber.length +
    r.indexNo.length +
    r.keywords.reduce((n, k) => n + k.length + 1, 0) +
    r.summary.length +
    4;
  h.ensure(headLength * 3 + 8);
  writeFolded(h, r.title, f);
  writeFoldedSep(h, "\u0001", f);
  writeFolded(h, r.docNumber, f);
  writeFoldedSep(h, "\u0001", f);
  writeFolded(h, r.indexNo, f);
  writeFoldedSep(h, "\u0001", f);
  r.keywords.forEach((k, i) => {
    if (i > 0) writeFoldedSep(h, "\u0002", f);
    writeFolded(h, k, f);
  });
  writeFoldedSep(h, "\u0001", f);
  writeFolded(h, r.summary, f);
  const head = h.buf.subarray(0, h.pos);
  // search_text = head \1 folded body
  const textStart = w.pos;
  w.ensure(4 + head.length + 1 + r.bodyText.length * 3);
  w.pos += 4;
  w.bytes(head);
  writeFolded(w, "\u0001", f);
  writeFolded(w, r.bodyText, f);
  w.view.setInt32(textStart, w.pos - textStart - 4);
  // search_head
  w.int32(head.length);
  w.bytes(head);
  // search_grams int4[]: the text's codes, the publication year's, the agency's and the sampling bucket's
  grams.add(yearCode(r.publishedDate));
  grams.add(agencyCode(r.agencyId));
  grams.add(bucketCodeOf(idTail));
  const n = grams.size;
  const sorted = grams.sorted();
  w.ensure(4 + 20 + n * 8);
  w.int32(n === 0 ? 12 : 20 + n * 8);
  if (n === 0) {
    w.int32(0);
    w.int32(0);
    w.int32(OID_INT4);
  } else {
    w.int32(1);
    w.int32(0);
    w.int32(OID_INT4);
    w.int32(n);
    w.int32(1);
    const view = w.view;
    let pos = w.pos;
    for (let i = 0; i < n; i++) {
      view.setInt32(pos, 4);
      view.setInt32(pos + 4, sorted[i] as number);
      pos += 8;
    }
    w.pos = pos;
  }
  // search_overflow
  w.ensure(5);
  w.int32(1);
  w.buf[w.pos++] = f.chars > INDEXED_CHARS ? 1 : 0;
  // search_sig bytea: one bit per code (searchSignature)
  w.ensure(4 + SIG_BYTES);
  w.int32(SIG_BYTES);
  const sig = w.buf;
  const start = w.pos;
  sig.fill(0, start, start + SIG_BYTES);
  for (let i = 0; i < n; i++) {
    const bit = sigBit(sorted[i] as number);
    const at = start + (bit >> 3);
    sig[at] = (sig[at] as number) | (1 << (bit & 7));
  }
  w.pos = start + SIG_BYTES;
}

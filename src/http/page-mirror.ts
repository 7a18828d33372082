/**
 * @module Static pages (静态化, opt-in with STATIC_PAGES_DIR): cached public HTML pages of anonymous visitors are also
 * written as files, `DIR/<url path>/index.html` with its gzip and brotli versions `index.html.gz` and `index.html.br`
 * (the page cache's stored bytes; nginx serves the .br with Debian's libnginx-mod-http-brotli-static), for nginx in front of the app to serve without asking the app (`gongkai pages nginx-config` prints the nginx part;
 * docs/scaling.md "Static pages served by nginx").
 *
 * Which pages (`mirrorPathOf`, called by src/http/page-cache.ts `sendCached`): text/html, no query string, no route
 * headers, the default display mode, a path of safe characters only (`isMirrorablePath`). Anything else is simply
 * not mirrored.
 *
 * Never stale after a change was processed:
 * - A file is written under a temporary name and renamed; before it, a marker `DIR/.scopes/<scope>/<path in
 *   base64url>.<random>` records which scope (the agency, or "platform") it belongs to. Each write has its own
 *   marker, and markers are only deleted by the sweep once older than the TTL + `MARKER_GRACE_MS` (by then every
 *   file they name is older than the TTL): so every file that may still be served has a marker.
 * - The write checks that no invalidation happened since the page's render started — its scope's and "*"'s
 *   generation in the shared page store, then this process's page-cache generation synchronously with the renames
 *   (which are synchronous: no invalidation of this process runs between the check and them) — and again in the
 *   shared store after them (an invalidation in another process in between); else it deletes the files.
 * - An invalidation (`drop`, synchronous, inside the page cache's invalidation — so before the publishing request
 *   answers — and again after the shared store's generation moved) deletes the files named by the markers of the
 *   agency's scope and the platform's (every scope without an agency). A write that raced with it either saw the
 *   new generation (and did not keep its files) or renamed them before the pass (which deletes them). Across
 *   processes the guarantee is the in-memory cache's: once every process has processed the change (NOTIFY), no
 *   file of the old page is left.
 * - `sweep()` (a timer of the app, every `SWEEP_INTERVAL_MS`) deletes files written more than the page TTL ago (their
 *   ctime, set by the kernel at the write and the rename); only pages rendered at most `MAX_RENDER_AGE_MS` before
 *   are written (src/http/page-cache.ts): nginx never serves a page rendered more than TTL + 10 s + the sweep
 *   interval ago, the same safety net as the in-memory cache for changes nobody announces (a validity date passing).
 * - Validators: nginx's ETag is "<mtime>-<size>" and its 304 compares Last-Modified exactly, both in whole seconds.
 *   Render times would let two versions of a page rendered in the same second (a change between them) share a
 *   validator when their sizes are equal, and a client holding the old one would get a 304. So a file's mtime is
 *   not a time but a digest of its bytes (`validatorTime`: 28 bits of their SHA-256, as seconds after 2000-01-01):
 *   nginx's ETag and Last-Modified change whenever the bytes do (Last-Modified then shows a date of 2000–2008; the
 *   pages are sent with `Cache-Control: no-cache`, so no cache computes a freshness from it).
 * - `reset()` (app start) deletes every page file: files of a previous run may be stale.
 *
 * Deleting a page file is always safe (nginx then asks the app).
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { FastifyRequest } from "fastify";
import type { Logger } from "pino";

/** How often the app sweeps files older than the page TTL. */
export const SWEEP_INTERVAL_MS = 30_000;
/** Only pages rendered at most this long before are written (the sweep counts a file's age from its write). */
export const MAX_RENDER_AGE_MS = 10_000;
/** The scope of platform pages (pages over all agencies), as in the shared page store. */
const PLATFORM = "platform";
const MARKERS = ".scopes";
const PAGE = "index.html";
const GZ = "index.html.gz";
const BR = "index.html.br";
/** A path segment: starts with a letter, digit, `_` or `-` (never a dot), then those and dots. */
const SEGMENT = "[A-Za-z0-9_-][A-Za-z0-9._-]*";
/** The paths mirrored (and the request URIs nginx may answer from files: the same expression). */
export const MIRRORABLE_PATH = `^/(?:${SEGMENT}(?:/${SEGMENT})*)?$`;
const MIRRORABLE = new RegExp(MIRRORABLE_PATH);
/** Longest path mirrored (its base64url is a marker's file name, which must stay under 255 bytes). */
const MAX_PATH = 180;
/** A marker outlives the TTL by this much (a write in progress has long finished by then). */
const MARKER_GRACE_MS = 60_000;
/** 2000-01-01T00:00:00Z: validator times run from there, for 2^28 s (8.5 years). */
const VALIDATOR_EPOCH_S = 946_684_800;
const SCOPE = /^[A-Za-z0-9_-]{1,100}$/;

/** The mtime given to a page's files: a digest of the bytes nginx sends as they are (see the module note). */
export function validatorTime(body: Buffer): Date {
  const digest = createHash("sha256").update(body).digest();
  return new Date((VALIDATOR_EPOCH_S + (digest.readUInt32BE(0) >>> 4)) * 1000);
}

/** Is this URL path one nginx can map to a file unambiguously (no dot segments, escapes, empty segments)? */
export function isMirrorablePath(urlPath: string): boolean {
  return urlPath.length <= MAX_PATH && MIRRORABLE.test(urlPath);
}

/**
 * The URL path of a page the static-page mirror may hold (undefined: not mirrored): an HTML page of the default
 * display mode, requested without a query string, keyed on the route and its path parameters only (no parsed
 * query values, no key of its own), at a path nginx maps to one file unambiguously.
 */
export function mirrorPathOf(
  request: FastifyRequest,
  options: { contentType: string; key?: string; query?: Readonly<Record<string, unknown>> },
  display: string,
): string | undefined {
  if (display !== "" || options.key !== undefined || !options.contentType.startsWith("text/html"))
    return undefined;
  if (options.query && Object.values(options.query).some((v) => v !== undefined)) return undefined;
  const url = request.url;
  return !url.includes("?") && isMirrorablePath(url) ? url : undefined;
}

export interface MirroredPage {
  /** The URL path (checked by `isMirrorablePath`). */
  path: string;
  /** The agency whose data the page shows, null for a platform page. */
  agencyId: string | null;
  body: Buffer;
  gzip: Buffer | undefined;
  br: Buffer | undefined;
  /** When the page was rendered (ms, the page cache's clock). */
  renderedAt: number;
}

/** Whether a page may still be written: no invalidation since its render started (see `PageMirror.write`). */
export interface MirrorCheck {
  /** This process's page cache (synchronous). */
  local(): boolean;
  /** The shared page store (every process). */
  shared(): Promise<boolean>;
}

interface PageFiles {
  page: string;
  gzip: string;
  br: string;
}

export interface PageMirrorOptions {
  dir: string;
  /** The page TTL: files written longer ago are swept. */
  ttlMs: number;
  logger: Pick<Logger, "warn">;
  now?: () => number;
}

const ignoreMissing = (err: unknown) => {
  if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
};

export class PageMirror {
  readonly dir: string;
  readonly #ttlMs: number;
  readonly #logger: Pick<Logger, "warn">;
  readonly #now: () => number;
  readonly #pending = new Set<Promise<void>>();
  /** Files written and still valid after their check (tests, figures). */
  written = 0;
  /** Files deleted right after their write because an invalidation happened during it. */
  discarded = 0;

  constructor(options: PageMirrorOptions) {
    this.dir = options.dir;
    this.#ttlMs = options.ttlMs;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
  }

  /** The directory of a path's files. */
  filesOf(urlPath: string): PageFiles {
    const dir = path.join(this.dir, urlPath);
    return { page: path.join(dir, PAGE), gzip: path.join(dir, GZ), br: path.join(dir, BR) };
  }

  /**
   * Writes a page's files in the background, unless `check` says an invalidation happened since its render started:
   * `check.shared()` (the shared store) before and after the renames, `check.local()` (this process) synchronously
   * right before them — the renames are synchronous too, so no invalidation of this process runs in between; one
   * processed after them deletes the files, and one in another process between the checks makes the second check
   * delete them.
   */
  write(page: MirroredPage, check: MirrorCheck): void {
    const scope = page.agencyId ?? PLATFORM;
    if (!isMirrorablePath(page.path) || !SCOPE.test(scope)) return;
    const work = this.#write(page, scope, check)
      .catch((err) => this.#logger.warn({ err, path: page.path }, "static page write failed"))
      .finally(() => this.#pending.delete(work));
    this.#pending.add(work);
  }

  async #write(page: MirroredPage, scope: string, check: MirrorCheck): Promise<void> {
    const fsp = fs.promises;
    const time = validatorTime(page.body);
    const markerDir = path.join(this.dir, MARKERS, scope);
    await fsp.mkdir(markerDir, { recursive: true });
    const marker = path.join(
      markerDir,
      `${Buffer.from(page.path).toString("base64url")}.${randomBytes(6).toString("hex")}`,
    );
    await fsp.writeFile(marker, "");
    const files = this.filesOf(page.path);
    const dir = path.dirname(files.page);
    await fsp.mkdir(dir, { recursive: true });
    const tmp = path.join(dir, `.${randomBytes(6).toString("hex")}.tmp`);
    // The compressed versions first: nginx looks for them once index.html is there.
    const writes: [Buffer | undefined, string, string][] = [
      [page.gzip, `${tmp}.gz`, files.gzip],
      [page.br, `${tmp}.br`, files.br],
      [page.body, tmp, files.page],
    ];
    const discard = () => {
      for (const [, temp] of writes) fs.rmSync(temp, { force: true });
      this.discarded++;
    };
    try {
      for (const [bytes, temp] of writes)
        if (bytes) {
          await fsp.writeFile(temp, bytes);
          await fsp.utimes(temp, time, time);
        }
      if (!(await check.shared()) || !check.local()) return discard();
      // Synchronously from the local check on: no invalidation of this process can run in between.
      for (const [bytes, temp, final] of writes) {
        if (bytes) fs.renameSync(temp, final);
        else fs.rmSync(final, { force: true });
      }
    } catch (err) {
      discard();
      this.#unlinkSync(files);
      throw err;
    }
    if (await check.shared().catch(() => false)) this.written++;
    else {
      this.discarded++;
      this.#unlinkSync(files);
    }
  }

  #unlinkSync(files: PageFiles): void {
    for (const f of [files.page, files.gzip, files.br]) fs.rmSync(f, { force: true });
  }

  #scopeDirs(agencyId: string | null | undefined): string[] {
    const root = path.join(this.dir, MARKERS);
    if (agencyId === undefined || agencyId === null) {
      try {
        return fs.readdirSync(root).map((s) => path.join(root, s));
      } catch (err) {
        ignoreMissing(err);
        return [];
      }
    }
    return SCOPE.test(agencyId)
      ? [path.join(root, agencyId), path.join(root, PLATFORM)]
      : [path.join(root, PLATFORM)];
  }

  /** The path a marker names. */
  #markerPath(name: string): string | undefined {
    const dot = name.lastIndexOf(".");
    if (dot <= 0) return undefined;
    const urlPath = Buffer.from(name.slice(0, dot), "base64url").toString();
    return isMirrorablePath(urlPath) ? urlPath : undefined;
  }

  /**
   * Deletes the files of an agency's pages and of the platform's (without an agency: every file), synchronously:
   * when the page cache's invalidation returns, nginx no longer has them. Returns how many markers were read.
   */
  drop(agencyId?: string | null): number {
    let dropped = 0;
    for (const scopeDir of this.#scopeDirs(agencyId)) {
      let names: string[];
      try {
        names = fs.readdirSync(scopeDir);
      } catch (err) {
        ignoreMissing(err);
        continue;
      }
      for (const name of names) {
        const urlPath = this.#markerPath(name);
        if (urlPath === undefined) continue;
        // The marker stays (a write of this path may be in progress: its check or the next drop deletes it).
        this.#unlinkSync(this.filesOf(urlPath));
        dropped++;
      }
    }
    return dropped;
  }

  /**
   * Deletes the files written more than the page TTL ago (their ctime: the write) and the markers older than the
   * TTL and a grace period; returns how many pages went.
   */
  async sweep(): Promise<number> {
    const fsp = fs.promises;
    const limit = this.#now() - this.#ttlMs;
    let swept = 0;
    for (const scopeDir of this.#scopeDirs(undefined)) {
      const names = await fsp.readdir(scopeDir).catch((): string[] => []);
      for (const name of names) {
        const urlPath = this.#markerPath(name);
        if (urlPath !== undefined) {
          const files = this.filesOf(urlPath);
          for (const f of [files.page, files.gzip, files.br]) {
            // A file written again since (younger) stays: its own marker is younger too.
            const stat = await fsp.stat(f).catch(() => undefined);
            if (stat && stat.ctimeMs <= limit) {
              await fsp.unlink(f).catch(ignoreMissing);
              if (f === files.page) swept++;
            }
          }
        }
        const marker = path.join(scopeDir, name);
        const stat = await fsp.stat(marker).catch(() => undefined);
        if (stat && stat.mtimeMs <= limit - MARKER_GRACE_MS) await fsp.rm(marker, { force: true });
      }
    }
    return swept;
  }

  /**
   * Empties the directory of its pages (app start: files of a previous run may be stale); creates it if missing.
   * Markers stay (another process may be writing the file one names); the sweep deletes them when old.
   */
  reset(): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (dir === this.dir && entry.name === MARKERS) continue;
          walk(full);
          try {
            fs.rmdirSync(full);
          } catch {
            // Not empty (another process is writing there): left.
          }
        } else fs.rmSync(full, { force: true });
      }
    };
    walk(this.dir);
  }

  /** Resolves when the writes started so far are done (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
}

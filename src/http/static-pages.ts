/**
 * @module The app's side of the static-page mirror (STATIC_PAGES_DIR, src/http/page-mirror.ts): at start the
 * directory is emptied (pages of a previous run may be stale), then a timer sweeps files older than the page TTL
 * every SWEEP_INTERVAL_MS; the timer stops when the app closes, after the writes in progress.
 */
import type { FastifyInstance } from "fastify";
import type { Deps } from "../deps.ts";
import { SWEEP_INTERVAL_MS } from "./page-mirror.ts";

export function startStaticPages(app: FastifyInstance, deps: Pick<Deps, "pageCache" | "logger">): void {
  const mirror = deps.pageCache.mirror;
  if (!mirror) return;
  mirror.reset();
  let sweeping: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    sweeping = mirror.sweep().catch((err) => deps.logger.warn({ err }, "static page sweep failed"));
  }, SWEEP_INTERVAL_MS);
  timer.unref();
  app.addHook("onClose", async () => {
    clearInterval(timer);
    await sweeping;
    await mirror.settled();
  });
}

import type { Archive } from "../archive/archive.js";
import type { Catalog } from "../archive/catalog.js";
import type { Config } from "../config.js";
import type { Scheduler } from "../delivery/scheduler.js";
import type { DeliveryService } from "../delivery/service.js";
import type { Store } from "../delivery/store.js";
import type { Logger } from "../logger.js";
import type { HealthSnapshot } from "../ops/health.js";
import { PaperIndex } from "../search/paper-index.js";
import type { CommandContext } from "./command.js";

/**
 * The context commands run in. The search index is built once at start (at once: nothing is
 * being answered yet), then rebuilt after the archive changes a few milliseconds at a time, so
 * interactions keep being answered, by the previous index until the new one is ready. A newer
 * archive supersedes a rebuild still under way, and a rebuild stands aside while an interaction
 * is being answered.
 */
export function commandContext(deps: {
  /** Its current catalog is read, and the files it could not read (for `/status digest`). */
  archive: Pick<Archive, "catalog"> & Partial<Pick<Archive, "errors">>;
  store: Store;
  service: DeliveryService;
  scheduler: Scheduler | null;
  config: Config;
  logger: Logger;
  ping: () => number;
  /** What /healthz reports (the bot; absent in tests without one). */
  health?: () => HealthSnapshot;
  processState?: CommandContext["processState"];
  digestSync?: CommandContext["digestSync"];
  /** True while an interaction is being answered: a rebuild's slices wait for it. */
  answering?: () => boolean;
}): CommandContext & { refreshIndex(): Promise<void> } {
  let built: { catalog: Catalog; index: PaperIndex } | null = null;
  let building: { catalog: Catalog; stop: AbortController; done: Promise<void> } | null = null;
  const buildAtOnce = (catalog: Catalog): PaperIndex => {
    const index = new PaperIndex(catalog);
    built = { catalog, index };
    return index;
  };
  /** Brings the index up to the archive's catalog; settles when it is (never rejects). */
  const refresh = (): Promise<void> => {
    const catalog = deps.archive.catalog();
    if (built === null) {
      buildAtOnce(catalog);
      return Promise.resolve();
    }
    if (built.catalog === catalog) return Promise.resolve();
    if (building?.catalog === catalog) return building.done;
    building?.stop.abort();
    const stop = new AbortController();
    const done = PaperIndex.buildSliced(catalog, {
      signal: stop.signal,
      ...(deps.answering ? { yieldTo: deps.answering } : {}),
    }).then(
      (index) => {
        if (index !== null) built = { catalog, index };
        if (building?.stop === stop) building = null;
      },
      (error: unknown) => {
        if (building?.stop === stop) building = null;
        deps.logger.error({ err: error }, "search index rebuild failed; the previous one answers");
      },
    );
    building = { catalog, stop, done };
    return done;
  };
  return {
    catalog: () => deps.archive.catalog(),
    archiveErrors: () => deps.archive.errors?.() ?? [],
    index: () => {
      if (built === null) return buildAtOnce(deps.archive.catalog());
      if (built.catalog !== deps.archive.catalog()) void refresh();
      return built.index;
    },
    refreshIndex: refresh,
    store: deps.store,
    service: deps.service,
    scheduler: deps.scheduler,
    config: deps.config,
    logger: deps.logger,
    ping: deps.ping,
    ...(deps.health ? { health: deps.health } : {}),
    ...(deps.processState ? { processState: deps.processState } : {}),
    ...(deps.digestSync ? { digestSync: deps.digestSync } : {}),
  };
}

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
 * The context commands run in. The search index is built off the interaction path: once at
 * start, and again after the archive changes, while the previous index keeps answering.
 */
export function commandContext(deps: {
  archive: Archive;
  store: Store;
  service: DeliveryService;
  scheduler: Scheduler | null;
  config: Config;
  logger: Logger;
  ping: () => number;
  /** What /healthz reports (the bot; absent in tests without one). */
  health?: () => HealthSnapshot;
}): CommandContext & { refreshIndex(): void } {
  let built: { catalog: Catalog; index: PaperIndex } | null = null;
  let pending = false;
  const build = () => {
    const catalog = deps.archive.catalog();
    if (built?.catalog !== catalog) built = { catalog, index: new PaperIndex(catalog) };
    return built.index;
  };
  return {
    catalog: () => deps.archive.catalog(),
    index: () => {
      if (built === null) return build();
      if (built.catalog !== deps.archive.catalog() && !pending) {
        pending = true;
        setImmediate(() => {
          pending = false;
          build();
        });
      }
      return built.index;
    },
    refreshIndex: () => void build(),
    store: deps.store,
    service: deps.service,
    scheduler: deps.scheduler,
    config: deps.config,
    logger: deps.logger,
    ping: deps.ping,
    ...(deps.health ? { health: deps.health } : {}),
  };
}

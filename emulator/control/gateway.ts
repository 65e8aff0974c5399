import { type ControlModule, ok, shardIdOf } from "./types.js";

/** Gateway connections: drops, invalid sessions and what each shard did. */
export const gatewayControl: ControlModule = ({ gateway, route, body: b }) => {
  switch (route) {
    case "POST gateway/disconnect":
      return ok({ closed: gateway.disconnect(Number(b.code ?? 4000), shardIdOf(b)) });
    case "POST gateway/invalidate":
      gateway.invalidate(b.resumable === true, shardIdOf(b));
      return ok();
    case "GET gateway":
      return ok({ ...gateway.stats, connected_shards: gateway.connectedShards() });
    default:
      return route === "POST faults" && b.route === "gateway"
        ? ok({ closed: gateway.disconnect(Number(b.close_code ?? b.status ?? 4000), shardIdOf(b)) })
        : null;
  }
};

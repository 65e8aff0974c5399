// The ops server alone in its own process, for tests that must see that process survive.
import { opsServer } from "./ops-server.js";

const ops = await opsServer();
process.stdout.write(`listening ${ops.port}\n`);

import { pullDigests, shownUrl } from "../archive/git-sync.js";
import { tryLoadConfig } from "../config.js";
import type { CliOutput } from "./parse-command.js";

/** `paperboy sync`: one pull of DIGESTS_GIT_URL into DIGESTS_DIR, by hand. */
export async function runSync(args: readonly string[], io: CliOutput): Promise<number> {
  if (args.length > 0) {
    io.err(`unexpected ${args.join(" ")}\nusage: paperboy sync\n`);
    return 2;
  }
  const loaded = tryLoadConfig();
  if (!loaded.ok) {
    io.err(`${loaded.message}\n`);
    return 1;
  }
  const { digestSync, digestsDir } = loaded.config;
  if (!digestSync) {
    io.err(
      "DIGESTS_GIT_URL is not set: set it to the repository the digests come from (for example https://github.com/l-yohai/daily_papers_ko.git)\n",
    );
    return 1;
  }
  try {
    const { commit, copied } = await pullDigests(digestSync, digestsDir);
    io.out(
      `pulled ${shownUrl(digestSync.url)} ${digestSync.branch} at ${commit.slice(0, 12)}: ${copied} new or changed file(s) in ${digestsDir}\n`,
    );
    return 0;
  } catch (error) {
    io.err(
      `could not pull ${shownUrl(digestSync.url)} (${digestSync.branch}): ${(error as Error).message}; ${digestsDir} is unchanged\n`,
    );
    return 1;
  }
}

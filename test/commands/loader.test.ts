import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { checkCommand, loadCommands } from "../../src/commands/loader.js";
import { COMMANDS_DIR } from "../../src/paths.js";
import { testEmulator } from "../support/discord.js";
import { ROOT, tempDir } from "../support/paths.js";

const run = promisify(execFile);
const good = {
  data: {
    name: "x",
    description: "d",
    name_localizations: { ko: "엑스" },
    description_localizations: { ko: "디" },
  },
  execute: async () => {},
};

describe("the command loader", () => {
  test("loads every command file, named as its command", async () => {
    const commands = await loadCommands(COMMANDS_DIR);
    expect([...commands.keys()].sort()).toEqual([
      "author",
      "config",
      "digest",
      "follow",
      "following",
      "help",
      "paper",
      "repost",
      "search",
      "status",
      "top",
      "unfollow",
    ]);
  });

  test.each([
    ["no default export", undefined, /has no default export/],
    [
      "a name that differs from the file",
      { ...good, data: { ...good.data, name: "y" } },
      /data.name is "y" but the file is named "x"/,
    ],
    [
      "no Korean localization",
      { ...good, data: { ...good.data, name_localizations: {} } },
      /needs Korean/,
    ],
    ["no execute", { data: good.data }, /exports no execute/],
  ])("refuses a file with %s, naming the file", (_case, value, message) => {
    expect(() => checkCommand("x.ts", value)).toThrow(message);
    expect(() => checkCommand("x.ts", value)).toThrow(/^commands\/x\.ts: /);
  });

  test("refuses the whole folder when one file is malformed", async () => {
    const dir = join(tempDir(), "commands");
    mkdirSync(dir);
    writeFileSync(join(dir, "broken.ts"), "export default { data: { name: 'broken' } };\n");
    await expect(loadCommands(dir)).rejects.toThrow(
      /commands\/broken\.ts: data\.description is missing/,
    );
  });

  test("npm run deploy-commands registers every command, accepted by the emulator's validation, reading the application from the token when DISCORD_APPLICATION_ID is unset", async () => {
    const emulator = await testEmulator();
    try {
      const { id: guildId } = (await (
        await fetch(`${emulator.url}/_emulator/guilds`, {
          method: "POST",
          body: JSON.stringify({ name: "dev" }),
        })
      ).json()) as { id: string };
      const env = {
        ...process.env,
        DISCORD_TOKEN: emulator.token,
        DISCORD_APPLICATION_ID: emulator.ctx.world.applicationId,
        DISCORD_API_URL: emulator.apiUrl,
        LOG_LEVEL: "silent",
      };
      const global = await run(
        process.execPath,
        ["--import", "tsx", "src/cli/deploy-commands.ts"],
        { cwd: ROOT, env },
      );
      expect(global.stdout).toMatch(/Registered 12 commands to every server/);
      const guild = await run(process.execPath, ["--import", "tsx", "src/cli/deploy-commands.ts"], {
        cwd: ROOT,
        // No application id configured: the token's own application is asked for it.
        env: { ...env, DEV_GUILD_ID: guildId, DISCORD_APPLICATION_ID: "" },
      });
      expect(guild.stdout).toMatch(new RegExp(`Registered 12 commands to server ${guildId}`));
      const stored = emulator.ctx.commands.get(guildId) ?? [];
      const config = stored.find((c) => c.name === "config");
      expect(config?.default_member_permissions).toBe("32");
    } finally {
      await emulator.close();
    }
  });
});

import { REST, Routes } from "discord.js";
import { loadCommands } from "../commands/loader.js";
import { tryLoadConfig } from "../config.js";
import { COMMANDS_DIR } from "../paths.js";

/**
 * `npm run deploy-commands`: registers every command file with one bulk overwrite — to one
 * server when DEV_GUILD_ID is set (instant), globally otherwise (Discord may take up to an hour).
 */
async function deploy(): Promise<number> {
  const loaded = tryLoadConfig();
  if (!loaded.ok) {
    console.error(loaded.message);
    return 1;
  }
  const config = loaded.config;
  if (!config.discordToken) {
    console.error(
      "DISCORD_TOKEN is needed: copy the bot's token from the Discord Developer Portal (Bot → Reset Token) into .env",
    );
    return 1;
  }
  const commands = await loadCommands(COMMANDS_DIR);
  // A server's own commands exist only in it: user installs and DMs are for global ones.
  const body = [...commands.values()].map((command) =>
    config.devGuildId ? { ...command.data, integration_types: [0], contexts: [0] } : command.data,
  );
  const rest = new REST({
    version: "10",
    ...(config.restApiUrl ? { api: config.restApiUrl } : {}),
  }).setToken(config.discordToken);
  // The token's own application, unless DISCORD_APPLICATION_ID names it.
  const applicationId =
    config.applicationId ?? ((await rest.get(Routes.currentApplication())) as { id: string }).id;
  const route = config.devGuildId
    ? Routes.applicationGuildCommands(applicationId, config.devGuildId)
    : Routes.applicationCommands(applicationId);
  const registered = (await rest.put(route, { body })) as { name: string }[];
  const where = config.devGuildId
    ? `server ${config.devGuildId}`
    : "every server (global; may take up to an hour to show)";
  console.log(
    `Registered ${registered.length} commands to ${where}: ${registered.map((c) => `/${c.name}`).join(", ")}`,
  );
  return 0;
}

deploy().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

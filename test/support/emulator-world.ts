import type { Emulator, EmulatorOptions } from "../../emulator/server.js";
import { control, testEmulator } from "./discord.js";

/** A guild with one channel of each kind the bot posts to. */
export interface TestGuild {
  id: string;
  text: string;
  news: string;
  forum: string;
}

/** Starts an emulator with one guild holding a text, an announcement and a forum channel. */
export async function emulatorWithGuild(
  options: EmulatorOptions = {},
): Promise<{ emulator: Emulator; guild: TestGuild }> {
  const emulator = await testEmulator(options);
  const { id } = await control<{ id: string }>(emulator, "POST", "guilds", {
    name: "Research Lab",
  });
  const make = async (name: string, type: number) =>
    (await control<{ id: string }>(emulator, "POST", `guilds/${id}/channels`, { name, type })).id;
  const guild = {
    id,
    text: await make("papers", 0),
    news: await make("announcements", 5),
    forum: await make("paper-forum", 15),
  };
  return { emulator, guild };
}

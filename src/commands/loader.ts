import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Command } from "./command.js";

/** A command file that does not export a well-formed command. */
export class CommandFileError extends Error {
  constructor(file: string, problem: string) {
    super(`commands/${file}: ${problem}`);
    this.name = "CommandFileError";
  }
}

/** Checks one module's default export; throws naming the file and what is wrong. */
export function checkCommand(file: string, value: unknown): Command {
  const command = value as Partial<Command> | undefined;
  const name = basename(file).replace(/\.[cm]?[tj]s$/, "");
  if (!command || typeof command !== "object")
    throw new CommandFileError(file, "has no default export of a command");
  if (!command.data || typeof command.data !== "object")
    throw new CommandFileError(file, "exports no `data`");
  if (command.data.name !== name)
    throw new CommandFileError(
      file,
      `data.name is "${String(command.data.name)}" but the file is named "${name}"`,
    );
  if (typeof command.data.description !== "string" || command.data.description === "") {
    throw new CommandFileError(file, "data.description is missing");
  }
  if (!command.data.name_localizations?.ko || !command.data.description_localizations?.ko) {
    throw new CommandFileError(
      file,
      "needs Korean name_localizations and description_localizations",
    );
  }
  if (typeof command.execute !== "function")
    throw new CommandFileError(file, "exports no execute()");
  for (const key of ["autocomplete", "component"] as const) {
    if (command[key] !== undefined && typeof command[key] !== "function")
      throw new CommandFileError(file, `${key} is not a function`);
  }
  return command as Command;
}

/** Loads every command file in a folder; refuses the whole set when one is malformed. */
export async function loadCommands(dir: string): Promise<Map<string, Command>> {
  const commands = new Map<string, Command>();
  const files = readdirSync(dir).filter(
    (f) => /\.(?:ts|mjs)$/.test(f) && !f.endsWith(".d.ts") && !f.startsWith("_"),
  );
  for (const file of files.sort()) {
    const module = (await import(pathToFileURL(join(dir, file)).href)) as { default?: unknown };
    const command = checkCommand(file, module.default);
    commands.set(command.data.name, command);
  }
  return commands;
}

import { buildAsNpmStartDoes } from "./npm-start.js";

/** Tests that start the bot as a process start what `npm start` runs: its build, made once here. */
export default async function setup(): Promise<void> {
  await buildAsNpmStartDoes();
}

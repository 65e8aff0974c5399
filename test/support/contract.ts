import { afterAll, afterEach } from "vitest";
import { describeViolations, takeBotViolations } from "./discord.js";

/**
 * The contract check (a vitest setup file): whatever the bot sent to an emulator during a test
 * must pass Discord's official request schema, or that test fails naming the route and fields.
 * The emulator already answered such a request with 400/50035, but the bot may have swallowed
 * the error (a delivery marked failed, a reply that never came), so the test alone might pass.
 */
function failOnViolations(): void {
  const violations = takeBotViolations();
  if (violations.length > 0)
    throw new Error(
      `the bot sent ${violations.length} body(ies) Discord's schema refuses:\n${describeViolations(violations)}`,
    );
}

afterEach(failOnViolations);
// Requests still in flight when the last test ended are judged before the file closes.
afterAll(failOnViolations);

import { invitePermissions } from "../commands/channel-check.js";

/** The link that adds the bot to a server with exactly the permissions its code uses. */
export function inviteUrl(applicationId: string): string {
  const params = new URLSearchParams({
    client_id: applicationId,
    scope: "bot applications.commands",
    permissions: invitePermissions().toString(),
  });
  return `https://discord.com/oauth2/authorize?${params.toString()}`;
}

import { invitePermissions } from "../commands/channel-check.js";

/**
 * The link that adds the bot to a server (`integration_type=0`) with exactly the permissions its
 * code uses.
 */
export function inviteUrl(applicationId: string): string {
  const params = new URLSearchParams({
    client_id: applicationId,
    scope: "bot applications.commands",
    permissions: invitePermissions().toString(),
    integration_type: "0",
  });
  return `https://discord.com/oauth2/authorize?${params.toString()}`;
}

/**
 * The link with which a reader adds the app for themselves (`integration_type=1`): its reader
 * commands then work in DMs and in any server, with no bot in it and no permission asked.
 */
export function userInstallUrl(applicationId: string): string {
  const params = new URLSearchParams({
    client_id: applicationId,
    scope: "applications.commands",
    integration_type: "1",
  });
  return `https://discord.com/oauth2/authorize?${params.toString()}`;
}

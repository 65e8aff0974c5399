/**
 * Discord's limits as Discord enforces them. Kept apart from the bot's own limits module on
 * purpose: the emulator is the independent check, so a wrong number in the bot is caught here.
 */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  embedsTotal: 6000,
  nonce: 25,
  actionRows: 5,
  buttonsPerRow: 5,
  customId: 100,
  buttonLabel: 80,
  selectOptions: 25,
  selectOptionText: 100,
  selectPlaceholder: 150,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  commandName: 32,
  commandDescription: 100,
  commandOptions: 25,
  commandChoices: 25,
  commandsPerScope: 100,
  modalTitle: 45,
  threadName: 100,
  allowedMentionIds: 100,
  /** Every embed URL (url, image, thumbnail, author url/icon, footer icon). */
  embedUrl: 2048,
  linkButtonUrl: 512,
  selectValues: 25,
  /** Components V2: every component in the message, nested ones counted. */
  componentsV2Total: 40,
  /** Components V2: all Text Display `content` of one message together. */
  textDisplayTotal: 4000,
  sectionTexts: 3,
  mediaDescription: 1024,
  galleryItems: 10,
} as const;

/** Message flag that switches a message to Components V2 (docs: resources/message#message-object-message-flags). */
export const IS_COMPONENTS_V2 = 1 << 15;

/** Length as Discord counts it: Unicode code points. */
export function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

// The package points its `./zod` types at the .js file itself, which TypeScript will not read
// as declarations; these are the schemas the emulator uses, typed loosely as zod schemas.
declare module "discord-api-spec/zod" {
  import type { $ZodType } from "zod/v4/core";

  export const MessageCreateRequestSchema: $ZodType;
  export const MessageEditRequestPartialSchema: $ZodType;
  export const CreateTextThreadWithMessageRequestSchema: $ZodType;
  export const CreateForumThreadRequestSchema: $ZodType;
  export const CreateTextThreadWithoutMessageRequestSchema: $ZodType;
  export const PongInteractionCallbackRequestSchema: $ZodType;
  export const CreateMessageInteractionCallbackRequestSchema: $ZodType;
  export const UpdateMessageInteractionCallbackRequestSchema: $ZodType;
  export const ApplicationCommandAutocompleteCallbackRequestSchema: $ZodType;
  export const ModalInteractionCallbackRequestSchema: $ZodType;
  export const LaunchActivityInteractionCallbackRequestSchema: $ZodType;
  export const IncomingWebhookUpdateForInteractionCallbackRequestPartialSchema: $ZodType;
  export const IncomingWebhookInteractionRequestSchema: $ZodType;
  export const ApplicationCommandUpdateRequestSchema: $ZodType;
  export const ApplicationCommandCreateRequestSchema: $ZodType;
  export const CreatePrivateChannelRequestSchema: $ZodType;
}

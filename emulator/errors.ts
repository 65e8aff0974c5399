/** An error answered with Discord's status, code and body shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: FormErrors,
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return this.errors
      ? { code: this.code, message: this.message, errors: this.errors }
      : { code: this.code, message: this.message };
  }
}

/** Discord's nested `errors` object: path segments down to `{ _errors: [{ code, message }] }`. */
export type FormErrors = { [key: string]: FormErrors | { code: string; message: string }[] };

/** Collects form errors by path, as Discord reports them with code 50035. */
export class FormErrorCollector {
  readonly errors: FormErrors = {};
  count = 0;

  add(path: readonly (string | number)[], code: string, message: string): void {
    let node: FormErrors = this.errors;
    for (const segment of path) {
      const key = String(segment);
      node[key] ??= {};
      node = node[key] as FormErrors;
    }
    node._errors ??= [];
    (node._errors as { code: string; message: string }[]).push({ code, message });
    this.count++;
  }

  /** Throws 400/50035 "Invalid Form Body" when anything was collected. */
  throwIfAny(): void {
    if (this.count > 0) throw new ApiError(400, 50035, "Invalid Form Body", this.errors);
  }
}

export const unknownChannel = () => new ApiError(404, 10003, "Unknown Channel");
export const unknownMessage = () => new ApiError(404, 10008, "Unknown Message");
export const unknownGuild = () => new ApiError(404, 10004, "Unknown Guild");
export const unknownInteraction = () => new ApiError(404, 10062, "Unknown interaction");
export const unknownWebhook = () => new ApiError(404, 10015, "Unknown Webhook");
export const missingAccess = () => new ApiError(403, 50001, "Missing Access");
export const missingPermissions = () => new ApiError(403, 50013, "Missing Permissions");
export const dmAction = () => new ApiError(403, 50003, "Cannot execute action on a DM channel");
export const unauthorized = () => new ApiError(401, 0, "401: Unauthorized");
export const alreadyAcknowledged = () =>
  new ApiError(400, 40060, "Interaction has already been acknowledged.");
export const emptyMessage = () => new ApiError(400, 50006, "Cannot send an empty message");
export const threadExists = () =>
  new ApiError(400, 160004, "A thread has already been created for this message");

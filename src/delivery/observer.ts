/** What the delivery pipeline reports as it works (metrics listen; the default ignores it). */
export interface DeliveryObserver {
  messageSent(): void;
  sendFailed(reason: "bad-payload" | "no-access" | "retry"): void;
  deliveryFinished(status: "done" | "failed" | "paused" | "pending"): void;
  /** The send queue held a send back to stay under Discord's limits. */
  queueWaited(): void;
}

export const NO_OBSERVER: DeliveryObserver = {
  messageSent: () => {},
  sendFailed: () => {},
  deliveryFinished: () => {},
  queueWaited: () => {},
};

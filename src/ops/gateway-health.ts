import type { GatewayPart } from "./health.js";

/** Remembers whether the gateway is connected and since when (the time of the last change). */
export class GatewayHealth {
  private isConnected = false;
  private changedAt: number;

  constructor(private readonly now: () => number = Date.now) {
    this.changedAt = now();
  }

  /** The gateway is ready (or resumed). */
  connected(): void {
    this.set(true);
  }

  /** The gateway closed or is reconnecting. */
  disconnected(): void {
    this.set(false);
  }

  /** The gateway's part of the health answer. */
  part(): GatewayPart {
    return { connected: this.isConnected, since: new Date(this.changedAt).toISOString() };
  }

  private set(connected: boolean): void {
    if (connected === this.isConnected) return;
    this.isConnected = connected;
    this.changedAt = this.now();
  }
}

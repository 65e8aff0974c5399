/** The emulator's clock: real time plus an offset that tests can advance (token expiry, nonce windows). */
export class Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/** How far a measured margin may be from the expected one before it is a warning, in pixels. */
export const MARGIN_TOLERANCE_PX = 2;

/** What a shot's frame offsets should look like, to check the final pixels against. */
export interface ExpectedMargins {
  /** Empty rows expected above the subject (`topFrameOffsetPixels`), or `null` when not fitted (width fit). */
  topPx: number | null;
  /** Empty rows expected below the subject, or `null` when the frame cuts the body at the bottom. */
  bottomPx: number | null;
  /** Empty columns expected left and right when a too-wide subject was fitted to the width. */
  leftPx?: number | null;
  rightPx?: number | null;
}

/** Empty margins around the subject, in pixels. */
export interface MeasuredMargins {
  topPx: number;
  bottomPx: number;
  leftPx: number;
  rightPx: number;
}

/**
 * One warning, naming the entry (`who`), per side whose measured margin is more than {@link MARGIN_TOLERANCE_PX}
 * from the expected one; sides expected as `null` are not checked.
 */
export function checkMargins(measured: MeasuredMargins, expected: ExpectedMargins, who: string): string[] {
  const checks: [string, number, number | null][] = [
    ['top', measured.topPx, expected.topPx],
    ['bottom', measured.bottomPx, expected.bottomPx],
    ['left', measured.leftPx, expected.leftPx ?? null],
    ['right', measured.rightPx, expected.rightPx ?? null],
  ];
  const warnings: string[] = [];
  for (const [side, got, want] of checks) {
    if (want !== null && Math.abs(got - want) > MARGIN_TOLERANCE_PX) {
      warnings.push(
        `${who}: ${side} margin is ${got} px, expected ${want} px (±${MARGIN_TOLERANCE_PX} px); check the framing.`,
      );
    }
  }
  return warnings;
}

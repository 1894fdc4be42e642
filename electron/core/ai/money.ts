// Money as integers. Prices are USD per million tokens (the way providers publish them); a price is
// held as integer micro-dollars per million tokens, a cost as integer nano-dollars (1e-9 USD):
//   cost_nano = tokens × price_micro_per_Mtok / 1000
// which is exact for every price with up to three decimals per million tokens (all the published
// list prices in the catalogue). A price with more decimals leaves a sub-nano-dollar remainder,
// rounded half up once per call. Number arithmetic stays exact below 2^53 nano-dollars ($9M).

export const NANO_PER_USD = 1_000_000_000;

/** USD per 1M tokens (0.8) → integer micro-dollars per 1M tokens (800000). */
export function pricePerMtokToMicros(usdPerMtok: number | null | undefined): number {
  if (usdPerMtok === null || usdPerMtok === undefined || !Number.isFinite(usdPerMtok) || usdPerMtok <= 0) return 0;
  // 0.8 is stored as 0.80000000000000004: rounding to the micro-dollar recovers the published figure.
  return Math.round(usdPerMtok * 1_000_000);
}

export interface Price {
  inputMicrosPerMtok: number;
  outputMicrosPerMtok: number;
}

/** Exact cost of a call in nano-dollars. */
export function costNanoUsd(promptTokens: number, completionTokens: number, price: Price): number {
  const picoTimesThousand =
    BigInt(Math.max(0, Math.trunc(promptTokens))) * BigInt(price.inputMicrosPerMtok) +
    BigInt(Math.max(0, Math.trunc(completionTokens))) * BigInt(price.outputMicrosPerMtok);
  // tokens × micro/Mtok = pico-dollars; / 1000 → nano-dollars, rounded half up.
  return Number((picoTimesThousand + 500n) / 1000n);
}

/** Nano-dollars → USD as a number (for display and the seeds' REAL columns). */
export function nanoToUsd(nano: number): number {
  return nano / NANO_PER_USD;
}

/** USD (a cap the user typed) → nano-dollars. */
export function usdToNano(usd: number): number {
  return Math.round(usd * NANO_PER_USD);
}

/** Exact decimal text of a nano-dollar amount, without trailing zeros: 3255200 → "0.0032552". */
export function formatUsd(nano: number): string {
  const negative = nano < 0;
  const abs = BigInt(Math.abs(Math.trunc(nano)));
  const whole = abs / 1_000_000_000n;
  const frac = (abs % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/** Rounded to whole cents for people: "$0.01", "$12.35" (a non-zero amount under half a cent shows "<$0.01"). */
export function formatCents(nano: number): string {
  if (nano > 0 && nano < 5_000_000) return '<$0.01';
  const cents = Math.round(nano / 10_000_000);
  return `$${(cents / 100).toFixed(2)}`;
}

// Money as integers: prices per 1M tokens to micro-dollars, costs to exact nano-dollars, and the
// texts people see; plus the budget's prompt bound.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { promptTokenUpperBound, estimateTokens, monthOf } from '../../electron/core/ai/budget';
import { costNanoUsd, formatCents, formatUsd, nanoToUsd, pricePerMtokToMicros, usdToNano } from '../../electron/core/ai/money';

const price = (inUsd: number, outUsd: number) => ({ inputMicrosPerMtok: pricePerMtokToMicros(inUsd), outputMicrosPerMtok: pricePerMtokToMicros(outUsd) });

describe('prices and costs', () => {
  it('given published prices, when converted, then they are whole micro-dollars per 1M tokens despite binary floats', () => {
    expect(pricePerMtokToMicros(0.8)).toBe(800_000);
    expect(pricePerMtokToMicros(0.15)).toBe(150_000);
    expect(pricePerMtokToMicros(0.1 + 0.2)).toBe(300_000);
    expect(pricePerMtokToMicros(0.075)).toBe(75_000);
    expect(pricePerMtokToMicros(null)).toBe(0);
    expect(pricePerMtokToMicros(-1)).toBe(0);
  });

  it('given 1,234 in and 567 out at $0.80/$4.00, when costed, then it is exactly 3,255,200 nano-dollars ($0.0032552)', () => {
    const nano = costNanoUsd(1234, 567, price(0.8, 4));
    expect(nano).toBe(3_255_200);
    expect(formatUsd(nano)).toBe('0.0032552');
    expect(nanoToUsd(nano)).toBe(0.0032552);
  });

  it('given a price with more than three decimals per 1M, when costed, then the sub-nano remainder is rounded half up once', () => {
    // $0.0375 per 1M tokens = 37.5 nano-dollars a token
    expect(costNanoUsd(1, 0, price(0.0375, 0))).toBe(38);
    expect(costNanoUsd(2, 0, price(0.0375, 0))).toBe(75);
    expect(costNanoUsd(3, 0, price(0.0375, 0))).toBe(113);
    // three decimals: exact
    expect(costNanoUsd(3, 0, price(0.075, 0))).toBe(225);
  });

  it('given any token counts at three-decimal prices, when costs are summed, then the sum of calls equals the cost of the sum (no drift)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(2_000_000), fc.nat(200_000)), { minLength: 1, maxLength: 50 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        (calls, inMilli, outMilli) => {
          const p = price(inMilli / 1000, outMilli / 1000);
          const sum = calls.reduce((n, [a, b]) => n + costNanoUsd(a, b, p), 0);
          const totalIn = calls.reduce((n, [a]) => n + a, 0);
          const totalOut = calls.reduce((n, [, b]) => n + b, 0);
          expect(sum).toBe(costNanoUsd(totalIn, totalOut, p));
        },
      ),
    );
  });

  it('given amounts, when formatted, then exact decimals and whole cents read right', () => {
    expect(formatUsd(0)).toBe('0');
    expect(formatUsd(1)).toBe('0.000000001');
    expect(formatUsd(12_345_000_000)).toBe('12.345');
    expect(formatCents(0)).toBe('$0.00');
    expect(formatCents(4_999_999)).toBe('<$0.01');
    expect(formatCents(5_000_000)).toBe('$0.01');
    expect(formatCents(12_345_000_000)).toBe('$12.35');
    expect(usdToNano(12.5)).toBe(12_500_000_000);
    expect(usdToNano(0.1 + 0.2)).toBe(300_000_000);
  });
});

describe('token bounds', () => {
  it('given ASCII, accented and CJK text, when bounded, then the bound is the UTF-8 bytes plus framing, never below a typical count', () => {
    expect(promptTokenUpperBound([])).toBe(3);
    expect(promptTokenUpperBound([{ role: 'user', content: 'hello' }])).toBe(3 + 4 + 5 + 4);
    expect(promptTokenUpperBound([{ role: 'user', content: 'café' }])).toBe(3 + 4 + 5 + 4);
    expect(promptTokenUpperBound([{ role: 'user', content: '面包' }])).toBe(3 + 4 + 6 + 4);
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), (text) => {
        expect(promptTokenUpperBound([{ role: 'user', content: text }])).toBeGreaterThanOrEqual(estimateTokens(text) + 3 + 4);
      }),
    );
  });

  it('given instants either side of a month boundary, when the budget month is taken, then it is the UTC month', () => {
    expect(monthOf(Date.parse('2025-01-31T23:59:59.999Z'))).toBe('2025-01');
    expect(monthOf(Date.parse('2025-02-01T00:00:00.000Z'))).toBe('2025-02');
  });
});

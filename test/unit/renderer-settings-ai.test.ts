// Settings → AI as data: the base URL checked the way the engine checks it, which key a save and a
// test send, the model picker's options, number fields, usage ranges, money and the chart's scale.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE } from '../../electron/core/ai/models';
import { formatCents } from '../../electron/core/ai/money';
import { endpointKind as coreKind, normaliseBaseUrl } from '../../electron/core/ai/settings';
import {
  budgetLine,
  chartTop,
  checkBaseUrl,
  endpointKind,
  featureLabel,
  keyToSave,
  keyToTest,
  keyWillBeDropped,
  modelOptions,
  money,
  parseBudget,
  parseNumber,
  plainHttpWarning,
  presetOf,
  PRESETS,
  priceWords,
  usageRange,
  type CatalogueModel,
} from '../../renderer/pages/settings/ai-settings';

const CATALOGUE: CatalogueModel[] = DEFAULT_CATALOGUE.map((m, i) => ({
  id: `m${i}`,
  name: m.name,
  provider: m.provider,
  modelId: m.modelId,
  description: m.description,
  modelType: m.modelType,
  creditCost: m.creditCost,
  maxContextTokens: m.maxContextTokens,
  inputCostPerMtok: m.inputCostPerMtok,
  outputCostPerMtok: m.outputCostPerMtok,
  supportsImages: m.supportsImages ?? false,
  isActive: true,
}));

describe('base URL', () => {
  it.each([
    'http://127.0.0.1:11434/v1/',
    'https://api.openai.com/v1',
    '  https://openrouter.ai/api/v1#models ',
    'http://localhost:1234/v1//',
    'https://llm.example.com:8443/openai/v1?api-version=2024',
    'HTTPS://API.OPENAI.COM/v1',
  ])('given %s, when checked, then it is normalised exactly as the engine will store it', (raw) => {
    const r = checkBaseUrl(raw);
    expect(r.error).toBeNull();
    expect(r.url).toBe(normaliseBaseUrl(raw));
    expect(endpointKind(r.url ?? '')).toBe(coreKind(r.url ?? ''));
  });

  it.each([
    ['', /Enter the endpoint’s base URL/],
    ['api.openai.com/v1', /not a full URL/],
    ['ftp://models.example.com/v1', /must start with http:\/\/ or https:\/\//],
    ['https://user:sk-secret@api.openai.com/v1', /API key in its own field/],
  ])('given %j, when checked, then the form refuses it in words the engine would agree with', (raw, message) => {
    const r = checkBaseUrl(raw);
    expect(r.url).toBeNull();
    expect(r.error).toMatch(message);
    if (raw !== '' && raw !== 'api.openai.com/v1') expect(() => normaliseBaseUrl(raw)).toThrow();
  });

  it('given each preset, when its URL is typed with a trailing slash, then the preset is recognised and the engine agrees on its kind', () => {
    for (const p of PRESETS) {
      expect(presetOf(`${p.baseUrl}/`)?.kind).toBe(p.kind);
      expect(coreKind(p.baseUrl)).toBe(p.kind);
    }
    expect(presetOf('https://llm.example.com/v1')).toBeNull();
    expect(PRESETS.map((p) => p.baseUrl)).toEqual(['https://api.openai.com/v1', 'https://openrouter.ai/api/v1', 'http://127.0.0.1:11434/v1', 'http://127.0.0.1:1234/v1']);
  });

  it('given a key over plain http to another machine, when warned, then it names the host; loopback, https or no key need no warning', () => {
    expect(plainHttpWarning('http://192.168.1.20:11434/v1', true)).toMatch(/unencrypted to 192\.168\.1\.20:11434/);
    expect(plainHttpWarning('http://127.0.0.1:11434/v1', true)).toBeNull();
    expect(plainHttpWarning('http://localhost:1234/v1', true)).toBeNull();
    expect(plainHttpWarning('https://api.openai.com/v1', true)).toBeNull();
    expect(plainHttpWarning('http://192.168.1.20:11434/v1', false)).toBeNull();
  });
});

describe('which key is sent', () => {
  const saved = { baseUrl: 'https://api.openai.com/v1', hasKey: true };

  it('given a typed key, when saved or tested, then that key is sent, trimmed', () => {
    expect(keyToSave({ typed: ' sk-new ', clear: false }, saved, 'https://openrouter.ai/api/v1')).toBe('sk-new');
    expect(keyToTest({ typed: ' sk-new ', clear: false })).toBe('sk-new');
  });

  it('given nothing typed on the same server, when saved, then the saved key is kept (nothing sent)', () => {
    expect(keyToSave({ typed: '', clear: false }, saved, 'https://api.openai.com/v1/')).toBeUndefined();
    expect(keyToTest({ typed: '', clear: false })).toBeUndefined();
  });

  it('given "Remove key", when saved or tested, then null removes it', () => {
    expect(keyToSave({ typed: '', clear: true }, saved, 'https://api.openai.com/v1')).toBeNull();
    expect(keyToTest({ typed: '', clear: true })).toBeNull();
  });

  it('given the endpoint moved to another server with no new key, when saved, then the old key is removed and the form says so first', () => {
    const key = { typed: '', clear: false };
    expect(keyToSave(key, saved, 'https://openrouter.ai/api/v1')).toBeNull();
    expect(keyWillBeDropped(key, saved, 'https://openrouter.ai/api/v1')).toBe(true);
    expect(keyWillBeDropped(key, saved, 'https://api.openai.com/v1')).toBe(false);
    // A key saved with no endpoint beside it is never carried to the first one entered.
    expect(keyToSave(key, { baseUrl: null, hasKey: true }, 'https://api.openai.com/v1')).toBeNull();
  });

  it('given no saved key, when nothing is typed, then nothing is sent and nothing is said to be dropped', () => {
    expect(keyToSave({ typed: '', clear: false }, { baseUrl: null, hasKey: false }, 'http://127.0.0.1:11434/v1')).toBeUndefined();
    expect(keyWillBeDropped({ typed: '', clear: false }, { baseUrl: 'https://api.openai.com/v1', hasKey: false }, 'http://127.0.0.1:11434/v1')).toBe(false);
  });
});

describe('model picker', () => {
  it('given models listed by the endpoint, when offered for chat, then exactly those (minus embedders) come, priced when the catalogue knows them', () => {
    const opts = modelOptions(CATALOGUE, ['openai/gpt-4o-mini', 'test-model', 'openai/text-embedding-3-small'], 'openrouter', 'chat');
    expect(opts.map((o) => o.value)).toEqual(['openai/gpt-4o-mini', 'test-model']);
    expect(opts[0]?.detail).toBe('on this endpoint · $0.15 in · $0.6 out per 1M');
    expect(opts[1]?.detail).toBe('on this endpoint');
  });

  it('given models listed by the endpoint, when offered for embeddings, then the embedders, or every listed model when none looks like one', () => {
    expect(modelOptions(CATALOGUE, ['test-model', 'test-embed'], 'other', 'embedding').map((o) => o.value)).toEqual(['test-embed']);
    expect(modelOptions(CATALOGUE, ['llama3.2', 'qwen2.5'], 'ollama', 'embedding').map((o) => o.value)).toEqual(['llama3.2', 'qwen2.5']);
  });

  it('given no list yet, when offered, then the catalogue models that fit the endpoint, named the way it names them', () => {
    const openai = modelOptions(CATALOGUE, [], 'openai', 'chat').map((o) => o.value);
    expect(openai).toContain('gpt-4o-mini');
    expect(openai.every((v) => !v.includes('/') && !v.includes('embed'))).toBe(true);
    const ollama = modelOptions(CATALOGUE, [], 'ollama', 'chat');
    expect(ollama.map((o) => o.value)).toEqual(['llama3.2', 'qwen2.5']);
    expect(ollama[0]?.detail).toBe('free, runs locally');
    expect(modelOptions(CATALOGUE, [], 'openrouter', 'embedding').map((o) => o.value)).toEqual(['openai/text-embedding-3-small', 'openai/text-embedding-3-large']);
  });

  it('given catalogue prices, when worded, then input and output per 1M tokens, or one price for embedders', () => {
    expect(priceWords({ provider: 'anthropic', inputCostPerMtok: 3, outputCostPerMtok: 15 })).toBe('$3.00 in · $15.00 out per 1M');
    expect(priceWords({ provider: 'openai', inputCostPerMtok: 0.02, outputCostPerMtok: 0 })).toBe('$0.02 per 1M tokens');
    expect(priceWords({ provider: 'openai', inputCostPerMtok: 0.05, outputCostPerMtok: 0.4 })).toBe('$0.05 in · $0.4 out per 1M');
  });
});

describe('numbers', () => {
  it('given temperatures typed with a point or a comma, when parsed, then in range they pass and out of range they say the range', () => {
    expect(parseNumber('0.7', 0, 2, 'the temperature')).toEqual({ value: 0.7, error: null });
    expect(parseNumber('1,5', 0, 2, 'the temperature')).toEqual({ value: 1.5, error: null });
    expect(parseNumber('2.5', 0, 2, 'the temperature').error).toBe('The temperature goes from 0 to 2.');
    expect(parseNumber('warm', 0, 2, 'the temperature').error).toBe('Enter the temperature as a number from 0 to 2.');
    expect(parseNumber('', 0, 1, 'top_p').error).toBe('Enter top_p as a number from 0 to 1.');
  });

  it('given budgets, when parsed, then empty is no cap, dollars are rounded to cents and negatives are refused', () => {
    expect(parseBudget('')).toEqual({ value: null, error: null });
    expect(parseBudget('$25')).toEqual({ value: 25, error: null });
    expect(parseBudget('12,345')).toEqual({ value: 12.35, error: null });
    expect(parseBudget('-3').error).toMatch(/goes from 0 to 1000000/);
  });
});

describe('usage', () => {
  it('given a moment, when the ranges are asked for, then UTC days with today included', () => {
    const now = Date.UTC(2026, 2, 31, 23, 30);
    expect(usageRange('month', now)).toEqual({ from: '2026-03-01', to: '2026-03-31' });
    expect(usageRange('30d', now)).toEqual({ from: '2026-03-02', to: '2026-03-31' });
    expect(usageRange('90d', Date.UTC(2026, 0, 15))).toEqual({ from: '2025-10-18', to: '2026-01-15' });
  });

  it('given amounts in nano-dollars, when shown, then whole cents exactly as the engine rounds them', () => {
    for (const nano of [0, 1, 4_999_999, 5_000_000, 14_999_999, 15_000_000, 123_456_789_012, 25_000_000_000]) {
      expect(money(nano)).toBe(formatCents(nano));
    }
    expect(money(0)).toBe('$0.00');
    expect(money(3_255_200)).toBe('<$0.01');
  });

  it('given the month against a budget, when described, then spent, budget and share; over it says so; no budget says none', () => {
    const month = { month: '2026-03', spentUsd: 3.2, spentNanoUsd: 3_200_000_000, budgetUsd: 25, remainingUsd: 21.8 };
    expect(budgetLine(month)).toEqual({ text: '$3.20 of $25.00 this month (13%)', share: 0.128, over: false });
    expect(budgetLine({ ...month, spentNanoUsd: 30_000_000_000, spentUsd: 30 })).toEqual({ text: '$30.00 of $25.00 this month (120%)', share: 1, over: true });
    expect(budgetLine({ ...month, budgetUsd: null, remainingUsd: null })).toEqual({ text: '$3.20 spent this month, no budget set', share: null, over: false });
    expect(budgetLine({ ...month, spentNanoUsd: 0, spentUsd: 0, budgetUsd: 0, remainingUsd: 0 }).over).toBe(false);
  });

  it('given daily amounts, when the chart scales, then its top is the next 1-2-5 step in cents, and an empty chart still has one', () => {
    expect(chartTop([])).toBe(10_000_000);
    expect(chartTop([0, 0])).toBe(10_000_000);
    expect(chartTop([31_000_000])).toBe(50_000_000); // 3.1 cents -> 5 cents
    expect(chartTop([1_000_000_000, 120_000_000])).toBe(1_000_000_000); // $1 exactly
    expect(chartTop([1_010_000_000])).toBe(2_000_000_000);
    expect(chartTop([2_000_000])).toBe(2_000_000); // 0.2 cents
  });

  it('given feature keys, when labelled, then known ones in words and unknown ones readable', () => {
    expect(featureLabel('triage')).toBe('Inbox triage');
    expect(featureLabel('embedding')).toBe('Knowledge search (embeddings)');
    expect(featureLabel('topic_clusters')).toBe('topic clusters');
  });
});

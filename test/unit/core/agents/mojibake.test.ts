import * as assert from 'node:assert/strict';
import { repairMojibake } from '../../../../src/core/agents/mojibake';

/** Produces mojibake the way it happens: UTF-8 bytes decoded as Windows-1252 (Latin-1 for its holes). */
function doubleEncode(text: string): string {
  const cp1252 = new Map<number, number>([
    [0x80, 0x20ac], [0x82, 0x201a], [0x83, 0x0192], [0x84, 0x201e], [0x85, 0x2026], [0x86, 0x2020], [0x87, 0x2021],
    [0x88, 0x02c6], [0x89, 0x2030], [0x8a, 0x0160], [0x8b, 0x2039], [0x8c, 0x0152], [0x8e, 0x017d], [0x91, 0x2018],
    [0x92, 0x2019], [0x93, 0x201c], [0x94, 0x201d], [0x95, 0x2022], [0x96, 0x2013], [0x97, 0x2014], [0x98, 0x02dc],
    [0x99, 0x2122], [0x9a, 0x0161], [0x9b, 0x203a], [0x9c, 0x0153], [0x9e, 0x017e], [0x9f, 0x0178],
  ]);
  return [...Buffer.from(text, 'utf8')].map((b) => String.fromCharCode(cp1252.get(b) ?? b)).join('');
}

describe('core/agents/mojibake', () => {
  it('repairs the sequences found in the seed', () => {
    const result = repairMojibake('## ðŸ“‹ MANDATORY\nupdate memory â†’ Do BOTH');
    assert.equal(result.text, '## 📋 MANDATORY\nupdate memory → Do BOTH');
    assert.deepEqual(result.repairs.map((r) => [r.from, r.to]), [['ðŸ“‹', '📋'], ['â†’', '→']]);
    assert.equal(result.repairs[0].offset, 3);
  });

  const originals = ['café — “quoted” naïve', 'Größe ½ € 📋 → ✓', 'emoji 🚀 and Ünïcödé', 'em — dash'];
  for (const original of originals) {
    it(`round-trips double-encoded ${JSON.stringify(original)}`, () => {
      const mangled = doubleEncode(original);
      assert.notEqual(mangled, original);
      assert.equal(repairMojibake(mangled).text, original);
    });
  }

  const legitimate = [
    'naïve café — “quoted” it’s © 2024',
    'Ünïcödé 中文 📋 → ✓',
    'Vulkan图形编程专家',
    'résumé, Straße, ½ × 3',
    'plain ASCII only',
    '',
  ];
  for (const text of legitimate) {
    it(`leaves legitimately non-ASCII text alone: ${JSON.stringify(text)}`, () => {
      const result = repairMojibake(text);
      assert.equal(result.text, text);
      assert.deepEqual(result.repairs, []);
    });
  }

  it('repairs nothing when one run is not mojibake (a mixed file is left as written)', () => {
    const text = 'ðŸ“‹ heading, and a real café';
    assert.equal(repairMojibake(text).text, text);
  });
});

// The page's expression names: exact, then VRM 0.x preset names through three-vrm's own map
// (`VRMExpressionLoaderPlugin.v0v1PresetNameMap`), then case-insensitive.
import { describe, expect, it } from 'vitest';
import { resolveExpression } from '../src/page/pose-avatar.js';

const names = ['happy', 'sad', 'relaxed', 'aa', 'blinkLeft', 'lookUp', 'Smirk'];

describe('resolveExpression', () => {
  it('maps the VRM 0.x presets the renderer mapped by hand to their VRM 1.0 names', () => {
    const vrm0 = {
      joy: 'happy',
      sorrow: 'sad',
      fun: 'relaxed',
      a: 'aa',
      blink_l: 'blinkLeft',
      lookup: 'lookUp',
    };
    for (const [v0, v1] of Object.entries(vrm0)) {
      expect(resolveExpression(v0, names)).toBe(v1);
      expect(resolveExpression(v0.toUpperCase(), names)).toBe(v1);
    }
  });

  it('prefers an exact name, then matches case-insensitively, else null', () => {
    expect(resolveExpression('happy', names)).toBe('happy');
    expect(resolveExpression('smirk', names)).toBe('Smirk');
    expect(resolveExpression('angry', names)).toBeNull();
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadManifest } from '@vrm-lora/manifest';
import { describe, expect, it } from 'vitest';
import {
  CAPTION_VARIABLES,
  type CaptionShot,
  captionForShot,
  captionLinesForShot,
  captionVarsForShot,
  DEFAULT_CAPTION_TEMPLATE,
  deriveView,
  humaniseAnimationName,
  keepTokensFor,
  normaliseCaption,
  renderCaption,
} from '../src/index.js';

function makeShot(overrides: Partial<CaptionShot> = {}): CaptionShot {
  return {
    number: 1,
    jsonPath: 'dataCollection[0]',
    animation: { kind: 'file', path: '/anim/Walking.fbx', name: 'Walking.fbx' },
    expression: 'happy',
    camera: { position: [-0.5, -0.2, 1], frame: 'fullShot' },
    backgroundDescription: 'plain black background',
    description: 'a person slowly walking full shot',
    ...overrides,
  };
}

describe('captionLinesForShot', () => {
  it('adds one line per caption variant after the main caption, dropping repeats', () => {
    const lines = captionLinesForShot(makeShot(), {
      trigger: 'anata',
      classToken: 'person',
      caption: {
        variants: [
          { style: 'tags' },
          { template: '{trigger} {description} {background}' },
          { template: '{trigger} {class}, {view}' },
        ],
      },
    });
    expect(lines).toEqual([
      'anata a person slowly walking full shot plain black background',
      'anata, person, full shot, front, happy, walking, a person slowly walking full shot, plain black background',
      'anata person, front',
    ]);
    expect(captionLinesForShot(makeShot(), { trigger: 'anata' })).toEqual([
      captionForShot(makeShot(), { trigger: 'anata' }),
    ]);
  });
});

describe('caption.suffix (a manifest field: its schema, and its use here)', () => {
  it('is read from the manifest file and ends every caption line; a line break in it is refused', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vrm-lora-suffix-'));
    try {
      const write = (caption: unknown) => {
        const file = path.join(dir, 'manifest.json');
        fs.writeFileSync(
          file,
          JSON.stringify({
            caption,
            dataCollection: [{ animationPath: 'builtin:waving', description: 'a person waving' }],
          }),
        );
        return file;
      };
      const { plan } = await loadManifest(
        write({ suffix: '  3d render,   vroid ', variants: [{ style: 'tags' }] }),
      );
      const lines = captionLinesForShot(plan!.shots[0]!, { ...plan!, trigger: plan!.trigger });
      expect(lines).toEqual([
        'anata a person waving, 3d render, vroid',
        'anata, person, full shot, front, waving, a person waving, 3d render, vroid',
      ]);
      const bad = await loadManifest(write({ suffix: 'one\ntwo' }));
      expect(bad.plan).toBeNull();
      expect(bad.findings.map((f) => `${f.path}: ${f.message}`)).toEqual([
        'caption.suffix: has the wrong format, got "one\\ntwo"',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('captionForShot', () => {
  it('reproduces CharacterStudio with the default template', () => {
    const caption = captionForShot(makeShot(), { trigger: 'anata' });
    expect(Buffer.from(caption, 'utf8')).toEqual(
      Buffer.from('anata a person slowly walking full shot plain black background', 'utf8'),
    );
    expect(DEFAULT_CAPTION_TEMPLATE).toBe('{trigger} {description} {background}');
  });

  it('fills every template variable', () => {
    const shot = makeShot({
      number: 12,
      animation: { kind: 'file', path: '/a/SittingIdle.fbx', name: 'SittingIdle.fbx' },
      camera: { position: [0, 0, -1], frame: 'mediumCloseUp' },
    });
    const options = { trigger: 'anata', classToken: 'woman' };
    const cases: Record<(typeof CAPTION_VARIABLES)[number], string> = {
      trigger: 'anata',
      class: 'woman',
      description: 'a person slowly walking full shot',
      background: 'plain black background',
      expression: 'happy',
      frame: 'medium close-up',
      view: 'back',
      animation: 'sitting idle',
      number: '12',
    };
    for (const name of CAPTION_VARIABLES) {
      expect(captionForShot(shot, { ...options, template: `<{${name}}>` }), name).toBe(`<${cases[name]}>`);
    }
    expect(captionVarsForShot(shot, options)).toEqual(cases);
  });

  it('writes every frame in words', () => {
    const words = (['fullShot', 'cowboyShot', 'mediumShot', 'mediumCloseUp', 'closeUp'] as const).map(
      (frame) =>
        captionForShot(makeShot({ camera: { position: [0, 0, 1], frame } }), {
          trigger: 'x',
          template: '{frame}',
        }),
    );
    expect(words).toEqual(['full shot', 'cowboy shot', 'medium shot', 'medium close-up', 'close-up']);
  });

  it('writes an empty string for a missing expression and a built-in animation name in words', () => {
    const shot = makeShot({ expression: null, animation: { kind: 'builtin', name: 'T-Pose' } });
    expect(captionForShot(shot, { trigger: 'anata', template: '{trigger}, {expression}, {animation}' })).toBe(
      'anata, t pose',
    );
  });

  it('names the entry when the caption comes out empty', () => {
    const shot = makeShot({
      number: 8,
      jsonPath: 'dataCollection[7]',
      description: '  ',
      backgroundDescription: '',
    });
    expect(() => captionForShot(shot, { trigger: '', template: '{description}{background}' })).toThrow(
      'The caption of dataCollection[7] (entry 8) is empty: template "{description}{background}" produced no text. ' +
        'Give the entry a description, or change caption.template.',
    );
  });

  it('lists the known variables for an unknown one', () => {
    expect(() => captionForShot(makeShot(), { trigger: 'anata', template: '{trigger} {pose}' })).toThrow(
      'Unknown caption variable {pose} in template "{trigger} {pose}". Known variables: {trigger}, {class}, ' +
        '{description}, {background}, {expression}, {frame}, {view}, {animation}, {number}.',
    );
  });

  it("takes a plan's nested caption settings, the top-level ones winning", () => {
    const plan = {
      trigger: 'anata',
      classToken: 'person',
      caption: { template: '{class} {trigger}', style: 'sentence' as const },
    };
    expect(captionForShot(makeShot(), plan)).toBe('person anata');
    expect(captionForShot(makeShot(), { ...plan, template: '{trigger}' })).toBe('anata');
    expect(captionForShot(makeShot(), { ...plan, caption: { style: 'tags' } })).toBe(
      'anata, person, full shot, front, happy, walking, a person slowly walking full shot, plain black background',
    );
  });

  it('writes tags with the trigger first', () => {
    const shot = makeShot({ description: 'a person walking, smiling' });
    expect(captionForShot(shot, { trigger: 'anata', classToken: 'person', style: 'tags' })).toBe(
      'anata, person, full shot, front, happy, walking, a person walking, smiling, plain black background',
    );
    // The sentence template in tag style: each variable is a tag; the trigger moves first; duplicates go.
    expect(
      captionForShot(shot, {
        trigger: 'anata',
        style: 'tags',
        template: '{description} {trigger} {background}, anata',
      }),
    ).toBe('anata, a person walking, smiling, plain black background');
  });
});

describe('normaliseCaption', () => {
  it('collapses whitespace and commas', () => {
    expect(normaliseCaption('  anata \t a  person ,, walking\n , ,full shot ,  ')).toBe(
      'anata a person, walking, full shot',
    );
    expect(normaliseCaption(', ,\u0007 ,')).toBe('');
    expect(
      renderCaption('{trigger}, {expression}, {description}', {
        trigger: 'anata',
        class: '',
        description: 'walking',
        background: '',
        expression: '',
        frame: '',
        view: '',
        animation: '',
        number: '1',
      }),
    ).toBe('anata, walking');
  });
});

describe('deriveView', () => {
  it('names views by thresholds of 45 degrees, sides as the manifest names them', () => {
    expect(deriveView([0, 0, 1])).toBe('front');
    expect(deriveView([1, 0, 1])).toBe('front'); // exactly 45° azimuth
    expect(deriveView([1.01, 0, 1])).toBe('right side'); // the manifest's "right" is +x
    expect(deriveView([-1, 0, 0])).toBe('left side');
    expect(deriveView([1, 0, -1])).toBe('back'); // exactly 135°
    expect(deriveView([0, 0, -1])).toBe('back');
    expect(deriveView([0, -1, 0])).toBe('from below');
  });

  it('measures elevation with y halved, where the renderer puts the camera', () => {
    expect(deriveView([0, 1, 1])).toBe('front'); // "front-top": 26.6° up
    expect(deriveView([0, 2, 1])).toBe('front'); // exactly 45° once halved
    expect(deriveView([0, 2.02, 1])).toBe('from above');
    expect(deriveView([0, 1.01, 1], { yScale: 1 })).toBe('from above');
    expect(deriveView([0.3, -2, 0.2])).toBe('from below');
    expect(() => deriveView([0, 0, 0])).toThrow('Cannot derive a view from camera direction [0, 0, 0]');
  });
});

describe('humaniseAnimationName', () => {
  it('splits names into words', () => {
    expect(humaniseAnimationName('SittingIdle.fbx')).toBe('sitting idle');
    expect(humaniseAnimationName('mixamo_com-Salute')).toBe('mixamo com salute');
    expect(humaniseAnimationName('HTTPServerIdle.vrma')).toBe('http server idle');
  });
});

describe('keepTokensFor', () => {
  it('covers the comma-separated piece holding the trigger', () => {
    expect(keepTokensFor(['anata a person walking plain black background'], 'anata')).toBe(1);
    expect(keepTokensFor(['anata, person, full shot', 'a person, anata, walking'], 'anata')).toBe(2);
    expect(keepTokensFor(['anatas, walking'], 'anata')).toBe(0);
    expect(keepTokensFor(['walk, my  Trigger word, x'], 'my trigger word')).toBe(2);
  });
});

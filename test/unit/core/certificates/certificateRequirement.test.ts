import * as assert from 'node:assert/strict';
import {
  DEFAULT_CERTIFICATE_TRIGGERS,
  triggerWordForms,
  turnRequiresCertificate,
} from '../../../../src/core/certificates/certificateRequirement';

describe('core/certificates/certificateRequirement', () => {
  const triggers = DEFAULT_CERTIFICATE_TRIGGERS;
  const table: ReadonlyArray<[string, string | undefined, boolean, RegExp | undefined]> = [
    ['Please review the CI pipeline', undefined, true, /"review" \(certificate trigger "review"\)/],
    ['Can you look at reviews from last week?', undefined, true, /"reviews"/],
    ['I am reviewing the deploy job', undefined, true, /"reviewing"/],
    ['It was reviewed yesterday', undefined, true, /"reviewed"/],
    ['REVIEW THIS', undefined, true, /"REVIEW"/],
    ['We need a sign-off on the rollout', undefined, true, /"sign-off" \(certificate trigger "sign-off"\)/],
    ['who signed off on this?', undefined, true, /"signed off"/],
    ['two signoffs needed', undefined, true, /"signoffs"/],
    ['Give me an assessment of the Dockerfile', undefined, true, /"assessment" \(certificate trigger "assess"\)/],
    ['Which base image should we choose?', undefined, true, /"choose"/],
    ['Run an analysis of build times', undefined, true, /"analysis" \(certificate trigger "analyze"\)/],
    ['verify the rollback works', undefined, true, /"verify"/],
    ['The migration was verified', undefined, true, /"verified"/],
    ['prioritise the backlog', undefined, true, /"prioritise"/],
    ['Write a Dockerfile for the API', undefined, false, undefined],
    ['Add a GitHub Actions workflow that builds on push', undefined, false, undefined],
    ['rename preview.ts to draft.ts', undefined, false, undefined],
    ['open src/review/index.ts and fix the import', undefined, false, undefined],
    ['fix `npm run check` output formatting', undefined, false, undefined],
    ['a reviewer-less pipeline? the overview page, the checkout step', undefined, false, undefined],
    ['Set up the deployment', 'review', true, /\/review always ends with a certificate/],
    ['Set up the deployment', '/certify', true, /\/certify/],
    ['Set up the deployment', 'deploy', false, undefined],
  ];
  for (const [prompt, command, required, reason] of table) {
    it(`${required ? 'requires' : 'does not require'} a certificate for ${command ? `/${command.replace(/^\//, '')} ` : ''}"${prompt}"`, () => {
      const result = turnRequiresCertificate({ prompt, ...(command !== undefined ? { command } : {}), triggers });
      assert.equal(result.required, required, JSON.stringify(result));
      if (reason) assert.match(result.reason ?? '', reason);
      else assert.equal(result.reason, undefined);
    });
  }

  it('uses only the triggers it is given', () => {
    assert.equal(turnRequiresCertificate({ prompt: 'please review', triggers: [] }).required, false);
    assert.equal(turnRequiresCertificate({ prompt: 'please triage this', triggers: ['triage'] }).required, true);
    assert.equal(turnRequiresCertificate({ prompt: 'please triaging this', triggers: ['triage'] }).required, true);
  });

  it('inflects trigger words', () => {
    assert.deepEqual(triggerWordForms('review').sort(), ['review', 'reviewed', 'reviewing', 'reviews']);
    assert.ok(triggerWordForms('verify').includes('verifies'));
    assert.ok(triggerWordForms('validate').includes('validating'));
    assert.ok(triggerWordForms('sign-off').includes('signed off'));
    assert.deepEqual(triggerWordForms('  '), []);
  });
});

import type { CertificateInput, CertificateStatus } from '../../../../src/core/certificates/certificateSchema';

/** A complete certificate input as a reviewer would fill it in. */
export function sampleCertificateInput(status: CertificateStatus = 'APPROVED', overrides: Partial<CertificateInput> = {}): CertificateInput {
  return {
    descriptor: 'deployment_review',
    component: 'ci_cd_pipeline',
    scope: ['GitHub Actions workflow for build and deploy'],
    filesExamined: ['.github/workflows/ci.yml', 'Dockerfile'],
    testsPerformed: ['npm test (42 passing)'],
    findings: ['Build cache keyed on the lockfile'],
    issues: ['Deploy job has no timeout'],
    recommendations: ['Add timeout-minutes: 15 to the deploy job'],
    status,
    rationale: 'The pipeline builds reproducibly; the missing timeout is minor.',
    ...(status === 'CONDITIONALLY_APPROVED' ? { conditions: 'Add a deploy timeout before the next release' } : {}),
    evidence: ['.github/workflows/ci.yml:12-14', 'npm test: 42 passing, 0 failing'],
    ...overrides,
  };
}

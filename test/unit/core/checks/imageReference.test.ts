import * as assert from 'node:assert/strict';
import { imagePinning, imageRegistry, isTrustedImage, parseImageReference } from '../../../../src/core/checks/imageReference';

describe('core/checks/imageReference', () => {
  it('splits name, tag and digest; a registry port is not a tag', () => {
    assert.deepEqual(parseImageReference('localhost:5000/app'), { name: 'localhost:5000/app', tag: undefined, digest: undefined });
    assert.deepEqual(parseImageReference('ghcr.io/acme/api:1.2@sha256:abc'), { name: 'ghcr.io/acme/api', tag: '1.2', digest: 'sha256:abc' });
  });

  it('tells digest, tag, latest, untagged and templated apart', () => {
    assert.equal(imagePinning(`redis:7@sha256:${'c'.repeat(64)}`), 'digest');
    assert.equal(imagePinning('redis:7.4.3'), 'tag');
    assert.equal(imagePinning('redis:LATEST'), 'latest');
    assert.equal(imagePinning('quay.io/prometheus/golang-builder'), 'untagged');
    assert.equal(imagePinning('${{ matrix.image }}'), 'templated');
    assert.equal(imagePinning('$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA'), 'templated');
    // a malformed digest is no pin
    assert.equal(imagePinning('redis@sha256:short'), 'untagged');
  });

  it('finds the registry and matches trustedRegistries by host or path prefix', () => {
    assert.equal(imageRegistry('nginx:1.27'), 'docker.io');
    assert.equal(imageRegistry('bitnami/redis'), 'docker.io');
    assert.equal(imageRegistry('ghcr.io/acme/api'), 'ghcr.io');
    assert.equal(imageRegistry('localhost/app'), 'localhost');
    assert.equal(isTrustedImage('nginx:1.27', []), true);
    assert.equal(isTrustedImage('nginx:1.27', ['docker.io']), true);
    assert.equal(isTrustedImage('ghcr.io/acme/api:1', ['ghcr.io/acme']), true);
    assert.equal(isTrustedImage('ghcr.io/evil/api:1', ['ghcr.io/acme']), false);
    assert.equal(isTrustedImage('quay.io/x/y', ['docker.io', 'ghcr.io']), false);
    assert.equal(isTrustedImage('${IMAGE}', ['ghcr.io']), true);
  });
});

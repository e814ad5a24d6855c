import * as assert from 'node:assert/strict';
import { COMPOSE_RULE_IDS as ids } from '../../../../../src/core/checks/compose/composeRules';
import { composeRuleSet } from '../../../../../src/core/checks/compose/composeRuleSet';
import { check, checkText, fixture, linesOf } from '../checkFixtures';

const run = (name: string) => check(composeRuleSet, `compose/awesome-compose/${name}`, 'compose');

/** The one-based line of the first line of a fixture matching a pattern. */
function lineOf(name: string, pattern: RegExp): number {
  return fixture(`compose/awesome-compose/${name}`).split('\n').findIndex((line) => pattern.test(line)) + 1;
}

describe('core/checks/compose/composeRuleSet (docker/awesome-compose files)', () => {
  it('declares every rule it reports', () => {
    const declared = new Set(composeRuleSet.rules.map((rule) => rule.id));
    for (const id of Object.values(ids)) assert.ok(declared.has(id), id);
  });

  it('docker-sock: the socket mount line of portainer and traefik; nothing elsewhere', () => {
    assert.deepEqual(linesOf(run('portainer_compose.yaml'), ids.dockerSock), [lineOf('portainer_compose.yaml', /^\s*- .*docker\.sock/)]);
    assert.deepEqual(linesOf(run('traefik-golang_compose.yaml'), ids.dockerSock), [lineOf('traefik-golang_compose.yaml', /^\s*- .*docker\.sock/)]);
    assert.deepEqual(linesOf(run('gitea-postgres_compose.yaml'), ids.dockerSock), []);
  });

  it('host-namespace: plex on network_mode: host', () => {
    assert.deepEqual(linesOf(run('plex_compose.yaml'), ids.hostNamespace), [lineOf('plex_compose.yaml', /network_mode: host/)]);
    assert.deepEqual(linesOf(run('portainer_compose.yaml'), ids.hostNamespace), []);
  });

  it('unpinned-image: :latest and untagged images, not versioned ones', () => {
    assert.deepEqual(linesOf(run('gitea-postgres_compose.yaml'), ids.unpinnedImage), [lineOf('gitea-postgres_compose.yaml', /gitea\/gitea:latest/)]);
    assert.deepEqual(linesOf(run('nginx-golang-postgres_compose.yaml'), ids.unpinnedImage), [13, 32]);
    assert.deepEqual(linesOf(run('portainer_compose.yaml'), ids.unpinnedImage), []);
  });

  it('plain-text-secret: literal passwords in environment maps, not *_FILE references', () => {
    const gitea = run('gitea-postgres_compose.yaml');
    assert.deepEqual(linesOf(gitea, ids.plainTextSecret), [lineOf('gitea-postgres_compose.yaml', /DB_PASSWD/), lineOf('gitea-postgres_compose.yaml', /POSTGRES_PASSWORD/)]);
    // react-express-mysql's db reads MYSQL_ROOT_PASSWORD_FILE from a secret; only the backend's literal is reported
    assert.deepEqual(linesOf(run('react-express-mysql_compose.yaml'), ids.plainTextSecret), [lineOf('react-express-mysql_compose.yaml', /DATABASE_PASSWORD/)]);
    // a password inside a connection URL is found by the redaction patterns
    assert.ok(run('wasmedge-kafka-mysql_compose.yml').some((f) => f.ruleId === ids.plainTextSecret && /url-credentials/.test(f.message)));
    const substituted = checkText(composeRuleSet, 'services:\n  db:\n    image: postgres:16\n    environment:\n      - POSTGRES_PASSWORD=${POSTGRES_PASSWORD}\n', 'compose');
    assert.deepEqual(substituted, []);
  });

  it('privileged: reported with a fix, list-form environment read too', () => {
    const findings = checkText(composeRuleSet, 'services:\n  agent:\n    image: portainer/agent:2.19.4\n    privileged: true\n    environment:\n      - AGENT_SECRET=Zq8vN3kLp2Rt\n', 'compose');
    assert.deepEqual(findings.map((f) => [f.ruleId, f.range.line]), [[ids.privileged, 4], [ids.plainTextSecret, 6]]);
    assert.equal(findings[0]?.fix?.edits[0]?.newText, 'false');
  });

  it('untrusted-registry: every service image outside trustedRegistries', () => {
    const options = { trustedRegistries: ['ghcr.io'], allowedActionOwners: [] };
    assert.deepEqual(linesOf(check(composeRuleSet, 'compose/awesome-compose/prometheus-grafana_compose.yaml', 'compose', options), ids.untrustedRegistry), [3, 14]);
    assert.deepEqual(linesOf(run('prometheus-grafana_compose.yaml'), ids.untrustedRegistry), []);
  });

  it('a file that does not parse gives one finding at its line', () => {
    const findings = checkText(composeRuleSet, 'services:\n  web:\n    image: nginx:1.27\n    image: nginx:1.26\n', 'compose');
    assert.deepEqual(findings.map((f) => [f.ruleId, f.range.line]), [[ids.yamlSyntax, 4]]);
  });
});

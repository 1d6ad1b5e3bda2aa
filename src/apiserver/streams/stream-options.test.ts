import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../machinery/status-error.ts';
import { logOptions } from './pod-log.ts';
import { chooseContainer, requireNode, type ResolvedPod } from './pod-target.ts';
import { queryBool, remoteCommandOptions } from './stream-options.ts';

const u = (q: string) => new URL(`https://x/api/v1/namespaces/d/pods/web/exec?${q}`);
const badRequest = (message: string) => (e: unknown) => e instanceof StatusError && e.code === 400 && e.message === message;

test('boolean parameters: only "0" and "false" (any case) are false; absent takes the default', () => {
  const cases: [string, boolean][] = [['stdin=true', true], ['stdin=1', true], ['stdin=True', true], ['stdin=', true], ['stdin=0', false], ['stdin=FALSE', false], ['', false]];
  for (const [q, want] of cases) assert.equal(queryBool(u(q), 'stdin', false), want, q);
  assert.equal(queryBool(u(''), 'stdout', true), true);
});

test('exec options: stdout/stderr default on, tty drops stderr, a command and one stream are required', () => {
  assert.deepEqual(remoteCommandOptions(u('command=ls&command=-l&container=app'), 'exec'), {
    container: 'app', command: ['ls', '-l'], stdin: false, stdout: true, stderr: true, tty: false,
  });
  assert.equal(remoteCommandOptions(u('command=sh&tty=true&stdin=true'), 'exec').stderr, false);
  assert.throws(() => remoteCommandOptions(u('stdout=false&stderr=false&command=ls'), 'exec'), badRequest('you must specify at least 1 of stdin, stdout, stderr'));
  assert.throws(() => remoteCommandOptions(u('stdin=true'), 'exec'), badRequest('you must specify at least 1 command'));
  assert.equal(remoteCommandOptions(u('stdin=true'), 'attach').command.length, 0);
});

test('log options are validated as ValidatePodLogOptions, with every error in one Invalid', () => {
  const l = (q: string) => logOptions(new URL(`https://x/log?${q}`), 'web');
  assert.deepEqual(l('container=app&follow=true&tailLines=3&timestamps=1&limitBytes=10&sinceSeconds=5'), {
    container: 'app', follow: true, previous: false, timestamps: true, tailLines: 3, sinceSeconds: 5, sinceTime: undefined, limitBytes: 10,
  });
  assert.throws(
    () => l('tailLines=-1&limitBytes=0&sinceSeconds=0'),
    (e: unknown) =>
      e instanceof StatusError &&
      e.code === 422 &&
      e.message ===
        'PodLogOptions "web" is invalid: [tailLines: Invalid value: -1: must be greater than or equal to 0, limitBytes: Invalid value: 0: must be greater than 0, sinceSeconds: Invalid value: 0: must be greater than 0]',
  );
  assert.throws(
    () => l('sinceSeconds=5&sinceTime=2025-01-01T00:00:00Z'),
    (e: unknown) => e instanceof StatusError && e.message === 'PodLogOptions "web" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
  );
  assert.throws(() => l('tailLines=ten'), badRequest('strconv.ParseInt: parsing "ten": invalid syntax'));
});

const pod = (spec: object): ResolvedPod => ({
  pod: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'd' }, spec },
  spec: spec as ResolvedPod['spec'],
  nodeName: (spec as { nodeName?: string }).nodeName ?? '',
});

test('container choice and its errors are upstream texts', () => {
  const one = pod({ containers: [{ name: 'app' }] });
  assert.equal(chooseContainer(one, '', false), 'app');
  const many = pod({ containers: [{ name: 'app' }, { name: 'side' }], initContainers: [{ name: 'init' }], ephemeralContainers: [{ name: 'dbg' }] });
  assert.equal(chooseContainer(many, 'init', false), 'init');
  assert.throws(() => chooseContainer(many, '', false), badRequest('a container name must be specified for pod web, choose one of: [app side] or one of the init containers: [init]'));
  assert.throws(
    () => chooseContainer(many, '', true),
    badRequest('a container name must be specified for pod web, choose one of: [app side] or one of the init containers: [init] or one of the ephemeral containers: [dbg]'),
  );
  assert.throws(() => chooseContainer(one, 'nope', false), badRequest('container nope is not valid for pod web'));
  assert.throws(() => requireNode(one), badRequest('pod web does not have a host assigned'));
  requireNode(pod({ nodeName: 'n1', containers: [] }));
});

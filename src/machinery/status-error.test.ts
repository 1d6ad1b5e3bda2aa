// Tests for status-error.ts: Status objects as 1.33's k8s.io/apimachinery/pkg/api/errors builds them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldInvalid, fieldRequired } from './field-errors.ts';
import { StatusError, type Status } from './status-error.ts';

const pods = { group: '', resource: 'pods' };
const deployments = { group: 'apps', resource: 'deployments' };

const status = (code: number, reason: string, message: string, details?: Status['details']): Status => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  ...(details ? { details } : {}),
  code,
});

test('Status objects match upstream constructors', () => {
  const cases: [string, StatusError, Status][] = [
    ['NewNotFound', StatusError.notFound(pods, 'web'), status(404, 'NotFound', 'pods "web" not found', { name: 'web', kind: 'pods' })],
    [
      'NewNotFound grouped',
      StatusError.notFound(deployments, 'web'),
      status(404, 'NotFound', 'deployments.apps "web" not found', { name: 'web', group: 'apps', kind: 'deployments' }),
    ],
    ['NewNotFound quotes with %q', StatusError.notFound(pods, 'a"b\n'), status(404, 'NotFound', 'pods "a\\"b\\n" not found', { name: 'a"b\n', kind: 'pods' })],
    ['NewAlreadyExists', StatusError.alreadyExists(pods, 'web'), status(409, 'AlreadyExists', 'pods "web" already exists', { name: 'web', kind: 'pods' })],
    [
      'NewGenerateNameConflict',
      StatusError.generateNameConflict(pods, 'web-abcde', 1),
      status(409, 'AlreadyExists', 'pods "web-abcde" already exists, the server was not able to generate a unique name for the object', {
        name: 'web-abcde',
        kind: 'pods',
        retryAfterSeconds: 1,
      }),
    ],
    [
      'optimistic lock',
      StatusError.optimisticLock(deployments, 'web'),
      status(
        409,
        'Conflict',
        'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
        { name: 'web', group: 'apps', kind: 'deployments' },
      ),
    ],
    [
      'NewMethodNotSupported',
      StatusError.methodNotSupported({ group: '', resource: 'bindings' }, 'list'),
      status(405, 'MethodNotAllowed', 'list is not supported on resources of kind "bindings"', { kind: 'bindings' }),
    ],
    [
      'NewForbidden with name',
      StatusError.forbidden(pods, 'web', 'no'),
      status(403, 'Forbidden', 'pods "web" is forbidden: no', { name: 'web', kind: 'pods' }),
    ],
    ['NewForbidden without name', StatusError.forbidden(pods, '', 'no'), status(403, 'Forbidden', 'pods is forbidden: no', { kind: 'pods' })],
    ['NewForbidden without resource', StatusError.forbidden({ group: '', resource: '' }, '', 'no'), status(403, 'Forbidden', 'forbidden: no', {})],
    ['NewUnauthorized', StatusError.unauthorized(), status(401, 'Unauthorized', 'Unauthorized')],
    ['NewUnauthorized empty', StatusError.unauthorized(''), status(401, 'Unauthorized', 'not authorized')],
    ['NewResourceExpired', StatusError.expired('too old resource version: 1 (5)'), status(410, 'Expired', 'too old resource version: 1 (5)')],
    ['NewGone', StatusError.gone('gone'), status(410, 'Gone', 'gone')],
    ['NewBadRequest', StatusError.badRequest('bad'), status(400, 'BadRequest', 'bad')],
    [
      'NewInternalError',
      StatusError.internal(new Error('boom')),
      status(500, 'InternalError', 'Internal error occurred: boom', { causes: [{ message: 'boom' }] }),
    ],
    [
      'NewServerTimeout',
      StatusError.serverTimeout(pods, 'get', 2),
      status(500, 'ServerTimeout', 'The get operation against pods could not be completed at this time, please try again.', {
        name: 'get',
        kind: 'pods',
        retryAfterSeconds: 2,
      }),
    ],
    ['NewTimeoutError', StatusError.timeout('request did not complete within 60s', 0), status(504, 'Timeout', 'Timeout: request did not complete within 60s', {})],
    ['NewTooManyRequests', StatusError.tooManyRequests('slow down', 1), status(429, 'TooManyRequests', 'slow down', { retryAfterSeconds: 1 })],
    ['NewRequestEntityTooLargeError', StatusError.requestEntityTooLarge('limit is 3145728'), status(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728')],
    ['NewServiceUnavailable', StatusError.serviceUnavailable('down'), status(503, 'ServiceUnavailable', 'down')],
    [
      'negotiation.NewUnsupportedMediaTypeError',
      StatusError.unsupportedMediaType('text/plain'),
      status(
        415,
        'UnsupportedMediaType',
        'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
      ),
    ],
    ['unknown path', StatusError.notFoundPath(), status(404, 'NotFound', 'the server could not find the requested resource', {})],
  ];
  for (const [name, err, want] of cases) assert.deepEqual(JSON.parse(JSON.stringify(err.toStatus())), want, name);
});

test('NewInvalid aggregates messages and lists every cause', () => {
  const errs = [
    fieldRequired('spec.containers'),
    fieldInvalid('metadata.name', 'Web', 'bad'),
    fieldInvalid('metadata.name', 'Web', 'bad'),
    fieldInvalid('', 'x', 'no field'),
  ];
  const cases: [string, StatusError, Status][] = [
    [
      'several',
      StatusError.invalid({ group: '', kind: 'Pod' }, 'Web', errs),
      status(
        422,
        'Invalid',
        'Pod "Web" is invalid: [spec.containers: Required value, metadata.name: Invalid value: "Web": bad, : Invalid value: "x": no field]',
        {
          name: 'Web',
          kind: 'Pod',
          causes: [
            { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' },
            { reason: 'FieldValueInvalid', message: 'Invalid value: "Web": bad', field: 'metadata.name' },
            { reason: 'FieldValueInvalid', message: 'Invalid value: "Web": bad', field: 'metadata.name' },
            { reason: 'FieldValueInvalid', message: 'Invalid value: "x": no field' },
          ],
        },
      ),
    ],
    [
      'one',
      StatusError.invalid({ group: 'apps', kind: 'Deployment' }, 'web', [errs[0]]),
      status(422, 'Invalid', 'Deployment.apps "web" is invalid: spec.containers: Required value', {
        name: 'web',
        group: 'apps',
        kind: 'Deployment',
        causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' }],
      }),
    ],
    ['none', StatusError.invalid({ group: '', kind: 'Pod' }, 'web', []), status(422, 'Invalid', 'Pod "web" is invalid', { name: 'web', kind: 'Pod' })],
  ];
  for (const [name, err, want] of cases) assert.deepEqual(JSON.parse(JSON.stringify(err.toStatus())), want, name);
});

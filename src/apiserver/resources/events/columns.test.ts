// Tests that events.k8s.io Events print with the core/v1 Event printer.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { printer as coreEvent } from '../core/event/columns.ts';
import { printer as event } from './event/columns.ts';

describe('events.k8s.io event printer', () => {
  it('is the core/v1 event printer', () => assert.equal(event, coreEvent));
});

// An EventSink for controller tests: collects events as `Type Reason Message` lines, as upstream's FakeRecorder does.
import type { KObject } from '../../apiserver/registry/kobject.ts';
import type { EventSink, EventType } from '../event-recorder.ts';

export class FakeEvents implements EventSink {
  readonly lines: string[] = [];
  readonly objects: string[] = [];

  event(obj: KObject, type: EventType, reason: string, message: string): void {
    this.lines.push(`${type} ${reason} ${message}`);
    this.objects.push(`${obj.kind}/${obj.metadata.name}`);
  }

  /** Returns the lines collected so far and forgets them. */
  take(): string[] {
    const out = [...this.lines];
    this.lines.length = 0;
    this.objects.length = 0;
    return out;
  }
}

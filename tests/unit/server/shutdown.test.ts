import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { untilStopped } from '../../../src/cli/shutdown.ts';

function harness(close: () => Promise<void>, timeoutMs = 1_000) {
  const signals = new EventEmitter();
  const lines: string[] = [];
  const exits: number[] = [];
  const stopped = untilStopped(close, {
    timeoutMs,
    signals,
    log: (line) => lines.push(line),
    exit: (code) => exits.push(code),
  });
  return { signals, lines, exits, stopped };
}

describe('graceful shutdown', () => {
  it('closes on SIGTERM, resolves with exit code 0 and stops listening for signals', async () => {
    let closed = 0;
    const h = harness(async () => {
      closed += 1;
    });
    h.signals.emit('SIGTERM', 'SIGTERM');
    expect(await h.stopped).toBe(0);
    expect(closed).toBe(1);
    expect(h.lines).toEqual(['SIGTERM, finishing requests under way']);
    expect(h.signals.listenerCount('SIGINT') + h.signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('stops at once on a second signal while closing', async () => {
    const h = harness(() => new Promise(() => {}));
    h.signals.emit('SIGINT', 'SIGINT');
    h.signals.emit('SIGINT', 'SIGINT');
    expect(h.exits).toEqual([1]);
    expect(h.lines[1]).toBe('SIGINT again, stopping now');
  });

  it('stops with exit code 1 when closing takes longer than its limit', async () => {
    const h = harness(() => new Promise(() => {}), 50);
    h.signals.emit('SIGTERM', 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(h.exits).toEqual([1]);
  });

  it('resolves with exit code 1 and says why when closing fails', async () => {
    const h = harness(() => Promise.reject(new Error('disk gone')));
    h.signals.emit('SIGTERM', 'SIGTERM');
    expect(await h.stopped).toBe(1);
    expect(h.lines).toContain('error while stopping: disk gone');
  });
});

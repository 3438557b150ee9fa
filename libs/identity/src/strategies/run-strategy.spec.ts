import { UnauthorizedException } from '@nestjs/common';
import { Strategy } from 'passport-strategy';
import { describe, expect, it } from 'vitest';
import { runStrategy } from './run-strategy';

class ScriptedStrategy extends Strategy {
  constructor(private readonly script: (strategy: Strategy & Record<string, (...args: unknown[]) => void>) => void) {
    super();
  }

  override authenticate(this: ScriptedStrategy & Strategy & Record<string, (...args: unknown[]) => void>): void {
    this.script(this);
  }
}

describe('runStrategy', () => {
  it('returns the user synchronously when the strategy succeeds synchronously', () => {
    expect(runStrategy(new ScriptedStrategy((s) => s.success({ id: 1 })), {})).toEqual({ id: 1 });
  });

  it('returns a promise when the strategy decides later', async () => {
    const result = runStrategy(new ScriptedStrategy((s) => setTimeout(() => s.success('late'), 1)), {});
    expect(result).toBeInstanceOf(Promise);
    await expect(result).resolves.toBe('late');
  });

  it('turns fail into a 401 carrying the challenge message, and passes errors through', async () => {
    expect(() => runStrategy(new ScriptedStrategy((s) => s.fail({ message: 'Missing API key' }, 401)), {})).toThrow(new UnauthorizedException('Missing API key'));
    const boom = new Error('database down');
    await expect(runStrategy(new ScriptedStrategy((s) => setTimeout(() => s.error(boom), 1)), {})).rejects.toBe(boom);
  });

  it('settles once even if the strategy calls back twice', () => {
    expect(runStrategy(new ScriptedStrategy((s) => { s.success('first'); s.fail({ message: 'second' }, 401); }), {})).toBe('first');
  });
});

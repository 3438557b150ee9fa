import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { Body, Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { Public, Scopes } from '@maas/identity';

/** Routes only the benchmark server has: no-op routes with and without an API key, the loop delay, a CPU profile. */
@Controller('bench')
class BenchRoutesController {
  @Get('public')
  @Public()
  open() {
    return { ok: true };
  }

  @Get('authenticated')
  @Scopes('infer')
  authenticated() {
    return { ok: true };
  }

  /** The server's own event-loop delay (perf_hooks), reset at the start of a measured phase. */
  @Post('loop-delay/reset')
  @Public()
  @HttpCode(204)
  resetLoopDelay() {
    loopDelay.reset();
    gcPauses.length = 0;
  }

  /** A CPU profile of this process's main thread between start and stop, written to BENCH_CPU_PROFILE_DIR. */
  @Post('profile/start')
  @Public()
  @HttpCode(204)
  async startProfile() {
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }

  @Post('profile/stop')
  @Public()
  async stopProfile(@Body() body: { name: string }) {
    const { profile } = await profiler.post('Profiler.stop');
    return saveProfile(`${body.name}.cpuprofile`, profile);
  }

  /** Where the main thread allocates (the sampling heap profiler), between start and stop, to BENCH_CPU_PROFILE_DIR. */
  @Post('allocations/start')
  @Public()
  @HttpCode(204)
  async startAllocationProfile() {
    await profiler.post('HeapProfiler.enable');
    // Every sampled allocation, also those already collected: the churn is what costs the scavenger.
    await profiler.post('HeapProfiler.startSampling', { samplingInterval: 16 * 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
  }

  @Post('allocations/stop')
  @Public()
  async stopAllocationProfile(@Body() body: { name: string }) {
    const { profile } = await profiler.post('HeapProfiler.stopSampling');
    return saveProfile(`${body.name}.heapprofile`, profile);
  }

  @Get('loop-delay')
  @Public()
  readLoopDelay() {
    const kinds = [...new Set(gcPauses.map((pause) => pause.kind))];
    const byKind = Object.fromEntries(kinds.map((kind) => [kind, summarize(gcPauses.filter((pause) => pause.kind === kind))]));
    const gc = { ...summarize(gcPauses), over5Ms: gcPauses.filter((pause) => pause.ms > 5).length, byKind };
    return { p50Ms: loopDelay.percentile(50) / 1e6, p99Ms: loopDelay.percentile(99) / 1e6, maxMs: loopDelay.max / 1e6, gc };
  }
}

const profiler = new Session();
profiler.connect();

const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();

/** The main thread's garbage-collection pauses since the last reset (a long one shows in the loop delay). */
const gcPauses: Array<{ kind: string; ms: number }> = [];
const gcKinds = new Map<number, string>([[constants.NODE_PERFORMANCE_GC_MINOR, 'minor'], [constants.NODE_PERFORMANCE_GC_MAJOR, 'major'], [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 'incremental'], [constants.NODE_PERFORMANCE_GC_WEAKCB, 'weak callbacks']]);
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcPauses.push({ kind: gcKinds.get((entry as unknown as { detail?: { kind: number } }).detail?.kind ?? -1) ?? 'other', ms: entry.duration });
}).observe({ entryTypes: ['gc'] });

function summarize(pauses: Array<{ ms: number }>): { count: number; totalMs: number; maxMs: number } {
  return { count: pauses.length, totalMs: pauses.reduce((sum, pause) => sum + pause.ms, 0), maxMs: pauses.reduce((longest, pause) => Math.max(longest, pause.ms), 0) };
}

/** Writes a profile to BENCH_CPU_PROFILE_DIR and answers where. */
function saveProfile(file: string, profile: unknown): { path: string } {
  const path = join(process.env.BENCH_CPU_PROFILE_DIR ?? '.', file);
  writeFileSync(path, JSON.stringify(profile));
  return { path };
}

@Module({ controllers: [BenchRoutesController] })
export class BenchRoutesModule {}

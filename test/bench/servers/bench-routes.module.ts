import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
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
    const path = join(process.env.BENCH_CPU_PROFILE_DIR ?? '.', `${body.name}.cpuprofile`);
    writeFileSync(path, JSON.stringify(profile));
    return { path };
  }

  @Get('loop-delay')
  @Public()
  readLoopDelay() {
    return { p50Ms: loopDelay.percentile(50) / 1e6, p99Ms: loopDelay.percentile(99) / 1e6, maxMs: loopDelay.max / 1e6 };
  }
}

const profiler = new Session();
profiler.connect();

const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();

@Module({ controllers: [BenchRoutesController] })
export class BenchRoutesModule {}

import { Controller, Get, Module } from '@nestjs/common';
import { Public, Scopes } from '@maas/identity';

/** Two no-op routes that differ only in needing an API key: the cost of authentication, alone. */
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
}

@Module({ controllers: [BenchRoutesController] })
export class BenchRoutesModule {}

import 'reflect-metadata';
import { AppConfig } from '@maas/config';
import { createHttpApp } from '@maas/service';
import { PLATFORM_MODULES } from '../../../apps/platform/src/platform.modules';
import { BenchRoutesModule } from './bench-routes.module';

/**
 * The platform plus the benchmark's no-op routes, in a child process so the load generator does
 * not share its event loop. Reports its port to the parent over IPC.
 */
async function main(): Promise<void> {
  const config = AppConfig.fromEnvironment();
  const app = await createHttpApp(config, { title: 'MaaS bench', modules: [...PLATFORM_MODULES, BenchRoutesModule] });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  process.send?.({ port: address.port });
  process.on('disconnect', () => void app.close().then(() => process.exit(0)));
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});

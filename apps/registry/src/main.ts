import 'reflect-metadata';
import { runService } from '@maas/service';
import { RegistryAppModule } from './registry-app.module';

runService({ title: 'MaaS registry', modules: [RegistryAppModule] });

import 'reflect-metadata';
import { runService } from '@maas/service';
import { AuthAppModule } from './auth-app.module';

runService({ title: 'MaaS auth', modules: [AuthAppModule] });

import 'reflect-metadata';
import { runService } from '@maas/service';
import { GatewayAppModule } from './gateway-app.module';

runService({ title: 'MaaS gateway', modules: [GatewayAppModule] });

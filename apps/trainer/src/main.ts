import 'reflect-metadata';
import { runService } from '@maas/service';
import { TrainerAppModule } from './trainer-app.module';

runService({ title: 'MaaS trainer', modules: [TrainerAppModule] });

import 'reflect-metadata';
import { runService } from '@maas/service';
import { PLATFORM_MODULES } from './platform.modules';

runService({ title: 'MaaS platform', modules: PLATFORM_MODULES });

import { AuthAppModule } from '../../auth/src/auth-app.module';
import { GatewayAppModule } from '../../gateway/src/gateway-app.module';
import { RegistryAppModule } from '../../registry/src/registry-app.module';
import { TrainerAppModule } from '../../trainer/src/trainer-app.module';
import { ConsoleModule } from './console/console-files';

/** The four apps' root modules (their routes never clash, so one process serves them all) and the web console at `/`. */
export const PLATFORM_MODULES = [AuthAppModule, RegistryAppModule, GatewayAppModule, TrainerAppModule, ConsoleModule];

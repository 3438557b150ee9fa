import { AuthAppModule } from '../../auth/src/auth-app.module';
import { GatewayAppModule } from '../../gateway/src/gateway-app.module';
import { RegistryAppModule } from '../../registry/src/registry-app.module';
import { TrainerAppModule } from '../../trainer/src/trainer-app.module';

/** The four apps' root modules: their routes never clash, so one process serves them all. */
export const PLATFORM_MODULES = [AuthAppModule, RegistryAppModule, GatewayAppModule, TrainerAppModule];

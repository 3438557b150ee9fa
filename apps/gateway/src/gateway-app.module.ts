import { Module } from '@nestjs/common';
import { MultipartUploads } from '@maas/service';
import { RegistryModule } from '@maas/registry';
import { UsageModule } from '@maas/usage';
import { InferenceService } from './inference/inference.service';
import { ResolvedVersions } from './inference/resolved-versions';
import { ServedModels } from './inference/served-models';
import { KserveMetadata } from './kserve/kserve-metadata';
import { KserveController } from './kserve/kserve.controller';
import { KserveInferRoutes } from './kserve/kserve-infer.routes';
import { InferenceMetrics } from './metrics/inference-metrics';
import { MetricsController } from './metrics/metrics.controller';
import { PredictController } from './predict/predict.controller';
import { PredictService } from './predict/predict.service';
import { InferenceAdmission } from './usage/inference-admission';
import { UsageController } from './usage/usage.controller';

/** The inference gateway: KServe V2 (+ Triton's binary and statistics extensions), predict, metrics, usage and plan limits. */
@Module({
  imports: [RegistryModule, UsageModule],
  controllers: [KserveController, PredictController, MetricsController, UsageController],
  providers: [KserveInferRoutes, ResolvedVersions, ServedModels, InferenceService, KserveMetadata, InferenceMetrics, PredictService, InferenceAdmission, MultipartUploads],
})
export class GatewayAppModule {}

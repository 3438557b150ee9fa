import { Body, Controller, HttpCode, Param, Post, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Scopes } from '@maas/identity';
import { InferenceLimitsInterceptor } from '../usage/inference-limits.interceptor';
import { PredictDto } from './dto/predict.dto';
import { PredictService } from './predict.service';

@ApiTags('inference')
@Controller('v1/models/:model/predict')
export class PredictController {
  constructor(private readonly predictions: PredictService) {}

  /** `{inputs: {name: nested array}, postprocess?: {softmax, topk, argmax, sigmoid}}` → outputs by name. */
  @Post()
  @Scopes('infer')
  @HttpCode(200)
  @UseInterceptors(InferenceLimitsInterceptor)
  predict(@CurrentPrincipal() principal: Principal, @Param('model') model: string, @Body() dto: PredictDto) {
    return this.predictions.predict(principal, model, dto);
  }
}

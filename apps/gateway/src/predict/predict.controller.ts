import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiTags, ApiOkResponse, ApiExtraModels } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Scopes } from '@maas/identity';
import { PredictOutputDto, PredictResponseDto } from './dto/predict.response';
import { InferenceAdmission } from '../usage/inference-admission';
import { PredictDto } from './dto/predict.dto';
import { PredictService } from './predict.service';

@ApiTags('inference')
@Controller('v1/models/:model/predict')
export class PredictController {
  constructor(
    private readonly predictions: PredictService,
    private readonly admission: InferenceAdmission,
  ) {}

  /** `{inputs: {name: nested array}, postprocess?: {softmax, topk, argmax, sigmoid}}` → outputs by name. */
  @Post()
  @Scopes('infer')
  @HttpCode(200)
  @ApiExtraModels(PredictOutputDto)
  @ApiOkResponse({ type: PredictResponseDto })
  predict(@CurrentPrincipal() principal: Principal, @Param('model') model: string, @Body() dto: PredictDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.admission.within(principal, reply, () => this.predictions.predict(principal, model, dto));
  }
}

import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiBody, ApiConsumes, ApiExtraModels, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { openApiSchema } from '@maas/service';
import { CurrentPrincipal, Principal, Scopes } from '@maas/identity';
import { PredictOutputDto, PredictResponseDto } from './dto/predict.response';
import { InferenceAdmission } from '../usage/inference-admission';
import { parsePredictRequest, predictRequestSchema, readMultipartPredict } from './predict-request';
import { PredictService } from './predict.service';

const PREDICT_REQUEST_SCHEMA = openApiSchema(predictRequestSchema);

@ApiTags('inference')
@Controller('v1/models/:model/predict')
export class PredictController {
  constructor(
    private readonly predictions: PredictService,
    private readonly admission: InferenceAdmission,
  ) {}

  /**
   * Inputs by name (nested arrays, or images for a pipeline that decodes them) through the version's
   * pipeline → raw outputs by name, and `predictions` per row (ranked labels, or values).
   */
  @Post()
  @Scopes('infer')
  @HttpCode(200)
  @ApiConsumes('application/json', 'multipart/form-data')
  // The body's JSON Schema is the validator's own (zod), so the document cannot drift from what is accepted.
  @ApiBody({ schema: PREDICT_REQUEST_SCHEMA })
  @ApiExtraModels(PredictOutputDto)
  @ApiOkResponse({ type: PredictResponseDto, description: 'Server-Timing names what each step cost' })
  predict(@CurrentPrincipal() principal: Principal, @Param('model') model: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.admission.within(principal, reply, async () => {
      const body = request.isMultipart() ? await readMultipartPredict(request) : parsePredictRequest(request.body);
      const { response, timings } = await this.predictions.predict(principal, model, body);
      void reply.header('Server-Timing', timings.map(({ step, ms }) => `${step};dur=${ms.toFixed(2)}`).join(', '));
      return response;
    });
  }
}

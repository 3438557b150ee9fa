import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags, ApiCreatedResponse, ApiOkResponse, ApiNoContentResponse } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Scopes, Tenant } from '@maas/identity';
import { ModelRegistry } from '@maas/registry';
import { ModelDto, ModelPageDto } from '../registry.responses';
import { modelView } from '../views';
import { CreateModelDto } from './dto/create-model.dto';
import { ListModelsDto } from './dto/list-models.dto';
import { UpdateModelDto } from './dto/update-model.dto';

@ApiTags('models')
@Controller('v1/models')
export class ModelsController {
  constructor(private readonly registry: ModelRegistry) {}

  @Post()
  @Scopes('models:write')
  @HttpCode(201)
  @ApiCreatedResponse({ type: ModelDto })
  async create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateModelDto) {
    const { name, ...fields } = dto;
    return modelView(await this.registry.createModel(principal, name, fields));
  }

  @Get()
  @Scopes('models:read')
  @ApiOkResponse({ type: ModelPageDto })
  async list(@Tenant() tenantId: string, @Query() query: ListModelsDto) {
    const { items, total } = await this.registry.listModels(tenantId, query);
    return { items: items.map(modelView), total, limit: query.limit, offset: query.offset };
  }

  @Get(':name')
  @Scopes('models:read')
  @ApiOkResponse({ type: ModelDto })
  async get(@Tenant() tenantId: string, @Param('name') name: string) {
    return modelView(await this.registry.getModel(tenantId, name));
  }

  @Patch(':name')
  @Scopes('models:write')
  @ApiOkResponse({ type: ModelDto })
  async update(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @Body() dto: UpdateModelDto) {
    return modelView(await this.registry.updateModel(principal, name, dto));
  }

  /** Removes the model's aliases, then its versions, then their artifacts. */
  @Delete(':name')
  @Scopes('models:write')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted with its versions and aliases' })
  delete(@CurrentPrincipal() principal: Principal, @Param('name') name: string) {
    return this.registry.deleteModel(principal, name);
  }
}

import multipart from '@fastify/multipart';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { AppConfig } from '@maas/config';

/** Multipart uploads (model files, datasets) through @fastify/multipart, registered once per process by whichever app comes first (raw bodies reach routes as streams: raw-bodies.ts). */
@Injectable()
export class MultipartUploads implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || fastify.hasContentTypeParser('multipart/form-data')) return;
    await fastify.register(multipart, { limits: { fileSize: this.config.maxUploadBytes, files: 100, fields: 10 } });
  }
}

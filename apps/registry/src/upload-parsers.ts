import multipart from '@fastify/multipart';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { AppConfig } from '@maas/config';

/** Multipart uploads through @fastify/multipart (raw bodies reach routes as streams: libs/service). */
@Injectable()
export class UploadParsers implements OnModuleInit {
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

import multipart from '@fastify/multipart';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { AppConfig } from '@maas/config';
import { RAW_UPLOAD_TYPES } from './versions/upload-reader';

/**
 * Teaches Fastify the upload bodies: raw types are handed to the route as the request stream
 * (so a large ONNX model streams into storage), multipart through @fastify/multipart.
 */
@Injectable()
export class UploadParsers implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || fastify.hasContentTypeParser('application/octet-stream')) return;
    fastify.addContentTypeParser(RAW_UPLOAD_TYPES, (_request, payload, done) => done(null, payload));
    await fastify.register(multipart, { limits: { fileSize: this.config.maxUploadBytes, files: 100, fields: 10 } });
  }
}

import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, MaxLength } from 'class-validator';

/** An email in a request body: surrounding spaces forgiven, then checked (normalised later for lookups). */
export const EmailField = (example: string) =>
  applyDecorators(
    ApiProperty({ example }),
    Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)),
    IsEmail({}, { message: 'email must be a valid email address' }),
    MaxLength(254),
  );

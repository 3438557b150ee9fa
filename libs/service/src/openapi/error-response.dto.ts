import { ApiProperty } from '@nestjs/swagger';

export class ErrorBodyDto {
  @ApiProperty({ example: 'MODEL_NOT_FOUND' }) code!: string;
  @ApiProperty({ example: 'Model "nope" not found' }) message!: string;
}

/** Every REST error: `{"error": {"code", "message"}}` (KServe `/v2` errors keep the protocol's `{"error": "…"}`). */
export class ErrorResponseDto {
  @ApiProperty({ type: ErrorBodyDto }) error!: ErrorBodyDto;
}

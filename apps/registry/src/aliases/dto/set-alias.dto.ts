import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Min } from 'class-validator';

export class SetAliasDto {
  @ApiProperty({ example: 3 })
  @IsInt({ message: 'version must be a version number' })
  @Min(1, { message: 'version must be a version number' })
  version!: number;
}

import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { EmailField } from '../../common/email-field.decorator';

export const INVITABLE_ROLES = ['ADMIN', 'MEMBER'] as const;

export class InviteMemberDto {
  @EmailField('grace@example.com')
  email!: string;

  @ApiProperty({ enum: INVITABLE_ROLES })
  @IsIn(INVITABLE_ROLES, { message: `role must be one of ${INVITABLE_ROLES.join(', ')}` })
  role!: (typeof INVITABLE_ROLES)[number];
}

import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@maas/identity';
import { SignupResponseDto } from './dto/signup.response';
import { SignupDto } from './dto/signup.dto';
import { SignupService } from './signup.service';

@ApiTags('auth')
@Controller('v1/auth')
export class SignupController {
  constructor(private readonly signup: SignupService) {}

  @Post('signup')
  @Public()
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'Tenant, owner, first API key (its secret is shown this once) and a console session', type: SignupResponseDto })
  @ApiConflictResponse({ description: 'The email already has an account' })
  signUp(@Body() dto: SignupDto, @Ip() ip: string) {
    return this.signup.signUp(dto, ip);
  }
}

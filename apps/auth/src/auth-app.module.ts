import { Module } from '@nestjs/common';
import { AuditController } from './audit/audit.controller';
import { KeysController } from './keys/keys.controller';
import { KeysService } from './keys/keys.service';
import { MeController } from './me/me.controller';
import { MeService } from './me/me.service';
import { MembersController } from './members/members.controller';
import { MembersService } from './members/members.service';
import { SessionsModule } from './sessions/sessions.module';
import { SignupModule } from './signup/signup.module';

/** The auth app: sign-up, login and sessions, members, API keys, the audit trail. */
@Module({
  imports: [SignupModule, SessionsModule],
  controllers: [MeController, KeysController, MembersController, AuditController],
  providers: [MeService, KeysService, MembersService],
})
export class AuthAppModule {}

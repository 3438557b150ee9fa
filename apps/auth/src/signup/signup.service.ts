import { randomBytes } from 'node:crypto';
import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { displayPrefix, hashPassword, mintApiKey, normaliseEmail, passwordWeakness, SessionTokens, UsersRepository } from '@maas/identity';
import { SignupDto } from './dto/signup.dto';
import { SignupRepository } from './signup.repository';

@Injectable()
export class SignupService {
  constructor(
    private readonly accounts: SignupRepository,
    private readonly users: UsersRepository,
    private readonly sessions: SessionTokens,
  ) {}

  /** A new tenant with its owner, a first key with every scope (shown once) and a console session. */
  async signUp(dto: SignupDto, ip?: string) {
    const email = normaliseEmail(dto.email);
    const weakness = passwordWeakness(dto.password, email);
    if (weakness) throw new BadRequestException(weakness);
    if (await this.users.findByEmailForLogin(email)) throw new ConflictException(`An account with email ${email} already exists`);
    const minted = mintApiKey();
    const { tenant, user, key } = await this.accounts.createAccount({
      organization: dto.organization.trim(),
      slug: await this.freeSlug(dto.organization),
      email,
      passwordHash: await hashPassword(dto.password),
      firstKey: minted,
      ip,
    });
    return {
      tenant: { id: tenant.id, name: tenant.name, slug: tenant.slug, plan: tenant.plan },
      user: { id: user.id, email: user.email, role: user.role },
      apiKey: { id: key.id, name: key.name, key: minted.plaintext, prefix: displayPrefix(key.publicId), scopes: key.scopes },
      session: this.sessions.issue(user.id, tenant.id),
    };
  }

  private async freeSlug(organization: string): Promise<string> {
    const base = organization.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'tenant';
    return (await this.accounts.slugTaken(base)) ? `${base}-${randomBytes(3).toString('hex')}` : base;
  }
}

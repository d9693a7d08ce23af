/**
 * Who is asking: `Authorization: Bearer <token>` resolves to a principal; `requireRole` guards
 * routes (401 without a valid token, 403 with a token that lacks the role; admin has every role).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { CandorError } from '../errors.js';
import type { Principal, Role } from './tokens.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * A hook (onRequest, so that 401 and 403 come before any body validation) that lets through
     * principals with one of these roles (admin always).
     */
    requireRole(...roles: Role[]): (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
  interface FastifyRequest {
    /** Resolved by requireRole, or by `identify()`. */
    principal?: Principal;
    identify(): Principal | undefined;
  }
}

export function hasRole(principal: Principal, roles: readonly Role[]): boolean {
  return principal.role === 'admin' || roles.includes(principal.role);
}

export default fp(
  async (app) => {
    const repo = app.tokens;
    app.decorateRequest('principal', undefined);
    app.decorateRequest('identify', function (this: FastifyRequest): Principal | undefined {
      if (this.principal) return this.principal;
      const header = this.headers.authorization;
      const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
      if (match?.[1]) this.principal = repo.verify(match[1]);
      return this.principal;
    });
    app.decorate('requireRole', (...roles: Role[]) => {
      return async function (request: FastifyRequest, _reply: FastifyReply) {
        const principal = request.identify();
        if (!principal) throw new CandorError('unauthorized');
        if (!hasRole(principal, roles)) throw new CandorError('forbidden');
      };
    });
  },
  { name: 'candor-access', dependencies: ['candor'] },
);

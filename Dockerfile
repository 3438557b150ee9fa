# One image for every app; docker-compose.yml picks the entry point per service.
FROM node:20-bookworm-slim
WORKDIR /srv/maas
COPY package.json package-lock.json ./
COPY apps ./apps
COPY libs ./libs
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.json .swcrc nx.json ./
COPY tools ./tools
RUN npm install --no-audit --no-fund && npm run build
# glibc arenas capped: with worker threads the default let resident memory creep (README, Reliability).
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 MALLOC_ARENA_MAX=2
EXPOSE 3000
CMD ["node", "dist/apps/platform/src/main.js"]

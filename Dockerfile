# One image for every app (target `app`; docker-compose.yml picks the entry point per service), and the
# edge (target `edge`): nginx with the built web console, routing the API to the apps.
FROM node:20-bookworm-slim AS app
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

FROM nginx:1.27-alpine AS edge
COPY deploy/nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=app /srv/maas/dist/console /usr/share/nginx/html

# The default target stays the all-in-one platform.
FROM app

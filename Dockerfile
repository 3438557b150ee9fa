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
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
EXPOSE 3000
CMD ["node", "dist/apps/platform/src/main.js"]

# One image for the migrate step, the worker and the gateway (docker-compose.yml), on
# Node.js 24 LTS (the version `npm start` pins when a machine's Node is older).
FROM node:24.21.0-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# npm install, not npm ci: see scripts/bootstrap.sh (npm/cli#4828).
RUN npm install --no-save --omit=dev --no-audit --no-fund
COPY . .
RUN npx prisma generate
USER node
CMD ["node", "--import", "tsx", "worker/main.ts"]
